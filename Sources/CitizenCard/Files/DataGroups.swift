import Foundation

/// The elementary files of the eMRTD application read by the kiosk.
public enum LDSFile: String, Sendable, Hashable, CaseIterable {
    /// Outside the application's access control: PACE's parameters.
    case cardAccess = "EF.CardAccess"
    case com = "EF.COM"
    case dg1 = "DG1"
    case dg2 = "DG2"
    case dg13 = "DG13"
    case sod = "EF.SOD"

    /// File identifier for SELECT.
    public var fileID: UInt16 {
        switch self {
        case .cardAccess: 0x011C
        case .com: 0x011E
        case .dg1: 0x0101
        case .dg2: 0x0102
        case .dg13: 0x010D
        case .sod: 0x011D
        }
    }

    /// Short EF identifier, for READ BINARY without a SELECT.
    public var shortID: UInt8 { UInt8(fileID & 0x1F) }

    /// The outer tag the file's content starts with.
    public var tag: UInt32 {
        switch self {
        case .cardAccess: 0x31
        case .com: 0x60
        case .dg1: 0x61
        case .dg2: 0x75
        case .dg13: 0x6D
        case .sod: 0x77
        }
    }

    /// The data-group number the SOD hashes it under; nil for EF.COM and EF.SOD.
    public var dataGroupNumber: Int? {
        switch self {
        case .dg1: 1
        case .dg2: 2
        case .dg13: 13
        case .cardAccess, .com, .sod: nil
        }
    }
}

/// DG1: the MRZ.
public enum DG1 {
    public static func parse(_ bytes: [UInt8]) throws(CardError) -> MRZ {
        do {
            let outer = try TLV.parse(bytes)
            guard outer.tag == LDSFile.dg1.tag, let mrz = try outer.child(0x5F1F) else {
                throw CardError.malformed(file: "DG1", reason: "no MRZ object (5F1F)")
            }
            guard let text = String(validating: mrz.value, as: UTF8.self) else {
                throw CardError.malformed(file: "DG1", reason: "MRZ is not text")
            }
            return try MRZ(td1: text)
        } catch let e as CardError {
            throw e
        } catch {
            throw .malformed(file: "DG1", reason: "\(error)")
        }
    }
}

/// DG13, the Vietnamese card's own data group: fields identified by number, absent ones
/// omitted. Personal data: never log it (its description is redacted).
public struct DG13: Sendable, Hashable, CustomStringConvertible {
    /// Every field's text by number, as read (field 13 joins its names with " | ").
    public var fields: [Int: [String]]
    /// The file as delivered.
    public var raw: [UInt8]

    public var description: String { "DG13(fields \(fields.keys.sorted()), redacted)" }

    public var idNumber: String? { fields[1]?.first }
    public var fullName: String? { fields[2]?.first }
    /// `dd/MM/yyyy` on the card.
    public var dateOfBirth: String? { fields[3]?.first }
    public var sex: String? { fields[4]?.first }
    public var nationality: String? { fields[5]?.first }
    public var ethnicity: String? { fields[6]?.first }
    public var religion: String? { fields[7]?.first }
    public var placeOfOrigin: String? { fields[8]?.first }
    public var placeOfResidence: String? { fields[9]?.first }
    public var identifyingMarks: String? { fields[10]?.first }
    public var issueDate: String? { fields[11]?.first }
    /// A date, or words such as "Không thời hạn" for cards without expiry.
    public var expiryDate: String? { fields[12]?.first }
    public var fatherName: String? { fields[13]?.first }
    public var motherName: String? { fields[13].flatMap { $0.count > 1 ? $0[1] : nil } }
    public var spouseName: String? { fields[14]?.first }
    public var oldIdNumber: String? { fields[15]?.first }

    /// Field numbers and their strings, leaving the exact nesting to the card: field 13 holds
    /// the parents either as two SEQUENCEs or as one SEQUENCE of two strings, and both read
    /// as [father, mother].
    public static func parse(_ bytes: [UInt8]) throws(CardError) -> DG13 {
        do {
            let outer = try TLV.parse(bytes)
            guard outer.tag == LDSFile.dg13.tag else { throw CardError.malformed(file: "DG13", reason: "outer tag is not 6D") }
            guard let body = try outer.child(TLV.sequence) else { throw CardError.malformed(file: "DG13", reason: "no SEQUENCE inside") }
            guard let set = try body.child(TLV.set) else { throw CardError.malformed(file: "DG13", reason: "no SET of fields") }
            var fields: [Int: [String]] = [:]
            for entry in try set.children() where entry.tag == TLV.sequence {
                let parts = try entry.children()
                guard let number = parts.first?.integerValue, (1...99).contains(number) else {
                    throw CardError.malformed(file: "DG13", reason: "a field without a field number")
                }
                var values: [String] = []
                for part in parts.dropFirst() { values += try texts(in: part, depth: 0) }
                if fields[number] != nil { throw CardError.malformed(file: "DG13", reason: "field \(number) twice") }
                fields[number] = values
            }
            guard fields[1] != nil, fields[2] != nil else {
                throw CardError.malformed(file: "DG13", reason: "no ID number (field 1) or name (field 2)")
            }
            return DG13(fields: fields, raw: bytes)
        } catch let e as CardError {
            throw e
        } catch {
            throw .malformed(file: "DG13", reason: "\(error)")
        }
    }

    private static func texts(in tlv: TLV, depth: Int) throws(TLVError) -> [String] {
        if let s = tlv.stringValue { return [s.trimmingCharacters(in: .whitespaces)] }
        guard tlv.isConstructed, depth < 4 else { return [] }
        var out: [String] = []
        for child in try tlv.children() { out += try texts(in: child, depth: depth + 1) }
        return out
    }
}
