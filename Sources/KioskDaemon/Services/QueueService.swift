import Devices
import Flows
import Foundation
import KioskAPI
import KioskStore
import Localized

/// Queue tickets: one queue per catalog field, numbered from 1 each day in Vietnam's time
/// (`CivilDate`),
/// printed on the kiosk's printer; the counter calls the next one (priority tickets first).
struct QueueService: Sendable {
    let live: LiveCatalog
    var catalog: Catalog { live.current }
    let store: KioskStore
    let printer: any Printer
    let printouts: Printouts
    let minutesPerPerson: Int

    /// Issues the next ticket of `queue` and prints it. The number is kept even when printing
    /// fails: the report says why, with the printer's notice.
    func issue(queue: String, priority name: String?) async throws -> QueueTicketReport {
        let field = try self.field(queue)
        guard let priority = QueueTicket.Priority(rawValue: name ?? "normal") else {
            throw KioskError.invalidValue(field: "priority", expected: QueueTicket.Priority.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let now = Date()
        let day = CivilDate(now).description
        let (number, ahead) = try await store.transaction { try $0.issueTicket(queue: field.id, priority: priority, day: day, at: now) }
        let ticket = QueueTicket(
            queue: field.id, service: field.name, number: number, priority: priority, issuedAt: now,
            peopleAhead: ahead, estimatedWaitMinutes: ahead * minutesPerPerson)
        let printJob = try printouts.ticketJob(ticket)
        var job: String?
        var notice: Notice?
        do throws(DeviceFailure) {
            job = try await printer.print(printJob).jobReference
        } catch {
            notice = error.notice
        }
        return QueueTicketReport(
            queue: ticket.queue, number: ticket.number, displayNumber: ticket.displayNumber, priority: priority.rawValue,
            issuedAt: now, peopleAhead: ahead, estimatedWaitMinutes: ticket.estimatedWaitMinutes,
            printed: job != nil, printJob: job, printNotice: notice)
    }

    /// Calls the next waiting ticket of `queue`, priority tickets first.
    func callNext(queue: String) async throws -> CalledTicket {
        let field = try self.field(queue)
        let now = Date()
        let day = CivilDate(now).description
        guard let called = try await store.transaction({ try $0.callNextTicket(queue: field.id, day: day, at: now) }) else {
            throw KioskError.queueEmpty(field.name)
        }
        let ticket = QueueTicket(
            queue: field.id, service: field.name, number: called.number, priority: called.priority, issuedAt: now,
            peopleAhead: 0, estimatedWaitMinutes: 0)
        return CalledTicket(queue: field.id, number: called.number, displayNumber: ticket.displayNumber, priority: called.priority.rawValue)
    }

    /// The catalog field a queue is named after.
    private func field(_ id: String) throws -> ProcedureField {
        guard let field = catalog.procedures.map(\.field).first(where: { $0.id == id }) else {
            throw KioskError.queueNotFound(id, known: Set(catalog.procedures.map(\.field.id)).sorted())
        }
        return field
    }
}
