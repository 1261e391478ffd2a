/// An applicant's answer to one form field.
///
/// In JSON: a string, a number, `true`/`false`, or an address object.
public enum Answer: Codable, Sendable, Hashable {
    case text(String)
    case number(Double)
    case flag(Bool)
    case address(Address)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self = .flag(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .text(value)
        } else {
            self = .address(try container.decode(Address.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .flag(let value): try container.encode(value)
        case .address(let value): try container.encode(value)
        }
    }

    /// The answer as the text a visibility condition compares with.
    public var conditionValue: String {
        switch self {
        case .text(let value): value
        case .number(let value): value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        case .flag(let value): value ? "true" : "false"
        case .address(let value): value.oneLine
        }
    }
}

/// An address under the two-level local government in force since 1 July 2025:
/// province or centrally-run city, then commune, ward or special zone, then street detail.
public struct Address: Codable, Sendable, Hashable {
    /// Tỉnh / thành phố trực thuộc trung ương.
    public var province: String
    /// Xã / phường / đặc khu.
    public var commune: String
    /// House number, street, hamlet (thôn, ấp, tổ dân phố…).
    public var detail: String

    public init(province: String, commune: String, detail: String) {
        self.province = province
        self.commune = commune
        self.detail = detail
    }

    /// "detail, commune, province", skipping empty parts.
    public var oneLine: String {
        [detail, commune, province].filter { !$0.isEmpty }.joined(separator: ", ")
    }
}
