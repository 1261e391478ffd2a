public import Foundation

/// A calendar date with no time of day, as printed on ID cards and forms.
///
/// Encoded as ISO `yyyy-MM-dd`. Parsing also accepts the Vietnamese `dd/MM/yyyy` and the
/// QR code's `ddMMyyyy`. A date that does not exist (31/02) is rejected.
public struct CivilDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Vietnam's civil time zone (UTC+7, no daylight saving).
    public static let vietnamTimeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? TimeZone(secondsFromGMT: 7 * 3600)!

    /// Creates the date, or nil if it does not exist in the Gregorian calendar.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= Self.daysIn(month: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date in Vietnam at instant `date`.
    public init(_ date: Date) {
        let parts = Self.calendar.dateComponents([.year, .month, .day], from: date)
        self.year = parts.year!
        self.month = parts.month!
        self.day = parts.day!
    }

    /// Minutes after midnight in Vietnam at instant `date`.
    public static func minutesOfDay(_ date: Date) -> Int {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
    }

    /// Parses `yyyy-MM-dd`, `dd/MM/yyyy` or `ddMMyyyy`; nil for anything else.
    public init?(parsing text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        let digits = t.filter(\.isNumber)
        func int(_ s: Substring) -> Int? { s.isEmpty || s.count > 4 || !s.allSatisfy(\.isASCII) ? nil : Int(s) }
        if t.count == 10, t.filter({ $0 == "-" }).count == 2 {
            let p = t.split(separator: "-")
            guard p.count == 3, p[0].count == 4, let y = int(p[0]), let m = int(p[1]), let d = int(p[2]) else { return nil }
            self.init(year: y, month: m, day: d)
        } else if t.filter({ $0 == "/" }).count == 2 {
            let p = t.split(separator: "/")
            guard p.count == 3, p[2].count == 4, let d = int(p[0]), let m = int(p[1]), let y = int(p[2]) else { return nil }
            self.init(year: y, month: m, day: d)
        } else if t.count == 8, digits.count == 8 {
            let s = Array(t)
            guard let d = Int(String(s[0..<2])), let m = Int(String(s[2..<4])), let y = Int(String(s[4..<8])) else { return nil }
            self.init(year: y, month: m, day: d)
        } else {
            return nil
        }
    }

    public var description: String {
        func pad(_ v: Int, _ n: Int) -> String { String(repeating: "0", count: max(0, n - String(v).count)) + String(v) }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// The date as Vietnamese forms print it: `dd/MM/yyyy`.
    public var vietnamese: String {
        let iso = description
        return "\(iso.suffix(2))/\(iso.dropFirst(5).prefix(2))/\(iso.prefix(4))"
    }

    /// Days since Monday: 0 for Monday … 6 for Sunday.
    public var weekdayIndex: Int {
        let weekday = Self.calendar.component(.weekday, from: startInstant)  // 1 = Sunday
        return (weekday + 5) % 7
    }

    /// The date `days` later (or earlier, when negative).
    public func adding(days: Int) -> CivilDate {
        CivilDate(Self.calendar.date(byAdding: .day, value: days, to: startInstant)!)
    }

    /// Whole years from `self` to `other` (an age, when `self` is a birth date).
    public func years(until other: CivilDate) -> Int {
        var years = other.year - year
        if (other.month, other.day) < (month, day) { years -= 1 }
        return years
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CivilDate(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date: \(text)"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = vietnamTimeZone
        return calendar
    }()

    private var startInstant: Date {
        Self.calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 12))!
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
