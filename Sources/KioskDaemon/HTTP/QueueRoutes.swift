import Devices
import Flows
import Foundation
import Hummingbird
import KioskAPI
import KioskStore
import Localized

/// Queue tickets: one queue per catalog field, numbered from 1 each day, printed on the
/// kiosk's printer; the counter calls the next one (priority tickets first).
extension KioskAPIRoutes {
    func registerQueues(on api: RouterGroup<KioskRequestContext>) {
        api.post("queues/{queue}/tickets") { request, context in
            let field = try queueField(context)
            let body = try await decodeOptional(QueueTicketRequest.self, request, context)
            guard let priority = QueueTicket.Priority(rawValue: body?.priority ?? "normal") else {
                throw APIError.badRequest("priority must be one of \(QueueTicket.Priority.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let now = Date()
            let day = Self.localDay(now)
            let (number, ahead) = try await sessions.store.transaction {
                try $0.issueTicket(queue: field.id, priority: priority, day: day, at: now)
            }
            let ticket = QueueTicket(queue: field.id, service: field.name, number: number, priority: priority, issuedAt: now,
                                     peopleAhead: ahead, estimatedWaitMinutes: ahead * config.queue.minutesPerPerson)
            let printJob = try Printouts(config: config).ticketJob(ticket)
            var job: String?
            var notice: Notice?
            do throws(DeviceFailure) {
                job = try await devices.printer.print(printJob).jobReference
            } catch {
                notice = error.notice
            }
            let report = QueueTicketReport(
                queue: ticket.queue, number: ticket.number, displayNumber: ticket.displayNumber, priority: priority.rawValue,
                issuedAt: now, peopleAhead: ahead, estimatedWaitMinutes: ticket.estimatedWaitMinutes,
                printed: job != nil, printJob: job, printNotice: notice)
            return try json(report, status: .created)
        }
        api.post("queues/{queue}/call") { _, context in
            let field = try queueField(context)
            let now = Date()
            let day = Self.localDay(now)
            guard let called = try await sessions.store.transaction({ try $0.callNextTicket(queue: field.id, day: day, at: now) }) else {
                throw APIError(.conflict, code: "queue.empty", vi: "Không còn ai chờ ở hàng \(field.name.vi).",
                               en: "Nobody is waiting in the \(field.name.en) queue.")
            }
            let ticket = QueueTicket(queue: field.id, service: field.name, number: called.number, priority: called.priority, issuedAt: now,
                                     peopleAhead: 0, estimatedWaitMinutes: 0)
            return try json(CalledTicket(queue: field.id, number: called.number, displayNumber: ticket.displayNumber, priority: called.priority.rawValue))
        }
    }

    /// The catalog field a queue is named after.
    private func queueField(_ context: KioskRequestContext) throws -> ProcedureField {
        let id = try context.parameters.require("queue")
        guard let field = catalog.procedures.map(\.field).first(where: { $0.id == id }) else {
            let known = Set(catalog.procedures.map(\.field.id)).sorted().joined(separator: ", ")
            throw APIError(.notFound, code: "queue.not_found", vi: "Không có hàng chờ \"\(id.prefix(40))\". Các hàng: \(known).",
                           en: "No queue \"\(id.prefix(40))\". Queues: \(known).")
        }
        return field
    }

    /// Tickets are numbered per day in Vietnam's time.
    static func localDay(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }
}
