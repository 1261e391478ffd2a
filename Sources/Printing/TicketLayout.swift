public import Flows
import Foundation
import Localized

/// The queue ticket: office, service, the number large, priority class, time issued, people
/// ahead and the estimated wait — in Vietnamese, with English beside the essentials.
public enum TicketLayout {
    public static func document(_ ticket: QueueTicket, officeName: String) -> PrintDocument {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "vi_VN")
        formatter.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")
        formatter.dateFormat = "HH:mm dd/MM/yyyy"
        let wait =
            ticket.peopleAhead == 0 ? "Sắp đến lượt / Next" : "khoảng \(ticket.estimatedWaitMinutes) phút / about \(ticket.estimatedWaitMinutes) min"
        return PrintDocument([
            .text(officeName, bold: true, alignment: .center),
            .rule,
            .text("PHIẾU SỐ THỨ TỰ — QUEUE TICKET", bold: true, alignment: .center),
            .text(ticket.service.vi, alignment: .center),
            .text(ticket.service.en, alignment: .center, scale: 0.85),
            .space(0.3),
            .text(ticket.displayNumber, bold: true, alignment: .center, scale: 4),
            .space(0.3),
            .text(
                ticket.priority.label.vi + (ticket.priority.isPriority ? " / " + ticket.priority.label.en : ""),
                bold: ticket.priority.isPriority, alignment: .center),
            .field(label: "Giờ lấy số / Issued", value: formatter.string(from: ticket.issuedAt)),
            .field(label: "Số người trước / Ahead", value: String(ticket.peopleAhead)),
            .field(label: "Thời gian chờ / Wait", value: wait),
            .rule,
            .text("Vui lòng chờ gọi số trên màn hình. / Please wait for your number on the screen.", alignment: .center, scale: 0.85),
        ])
    }
}
