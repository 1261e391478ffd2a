public import Foundation
public import Localized

/// A numbered ticket for a counter's queue, printed when a counter must help (a case the kiosk
/// cannot finish alone, or an applicant who asks for staff). One queue per catalog field
/// (Hộ tịch, Chứng thực…), numbered from 1 each day.
public struct QueueTicket: Codable, Sendable, Hashable {
    /// Who is served first (Decree 61/2018/NĐ-CP: priority for the elderly, people with
    /// disabilities, pregnant women, people with meritorious service to the revolution).
    public enum Priority: String, Codable, Sendable, Hashable, CaseIterable {
        case normal
        case elderly
        case disability
        case pregnant
        case meritorious

        public var label: LocalizedText {
            switch self {
            case .normal: LocalizedText(vi: "Thường", en: "Standard")
            case .elderly: LocalizedText(vi: "Ưu tiên — Người cao tuổi", en: "Priority — Elderly")
            case .disability: LocalizedText(vi: "Ưu tiên — Người khuyết tật", en: "Priority — Disability")
            case .pregnant: LocalizedText(vi: "Ưu tiên — Phụ nữ mang thai", en: "Priority — Pregnant")
            case .meritorious: LocalizedText(vi: "Ưu tiên — Người có công với cách mạng", en: "Priority — Meritorious service")
            }
        }

        public var isPriority: Bool { self != .normal }
    }

    /// The queue: a catalog field's id.
    public var queue: String
    public var service: LocalizedText
    /// From 1 each day, per queue.
    public var number: Int
    public var priority: Priority
    public var issuedAt: Date
    /// Tickets of this queue still waiting that will be called before this one.
    public var peopleAhead: Int
    public var estimatedWaitMinutes: Int

    public init(queue: String, service: LocalizedText, number: Int, priority: Priority, issuedAt: Date, peopleAhead: Int, estimatedWaitMinutes: Int) {
        self.queue = queue
        self.service = service
        self.number = number
        self.priority = priority
        self.issuedAt = issuedAt
        self.peopleAhead = peopleAhead
        self.estimatedWaitMinutes = estimatedWaitMinutes
    }

    /// As called out and shown: priority tickets carry a `U` (ưu tiên), e.g. `007` or `U007`.
    public var displayNumber: String {
        let digits = String(number)
        return (priority.isPriority ? "U" : "") + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }
}
