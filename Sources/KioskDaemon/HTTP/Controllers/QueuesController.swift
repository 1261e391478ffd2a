import Hummingbird
import KioskAPI

/// `/queues/{queue}`: queue tickets issued and called.
struct QueuesController: Sendable {
    let queues: QueueService

    /// Tickets for applicants; calling the next one is the counter's (the technician channel).
    func addRoutes(applicant: RouterGroup<KioskRequestContext>, technician: RouterGroup<KioskRequestContext>) {
        applicant.post("queues/{queue}/tickets", use: issue)
        technician.post("queues/{queue}/call", use: callNext)
    }

    @Sendable func issue(_ request: Request, context: KioskRequestContext) async throws -> Response {
        let body = try await context.decodeIfPresent(QueueTicketRequest.self, from: request)
        let report = try await queues.issue(queue: try context.parameters.require("queue"), priority: body?.priority)
        return try context.respond(report, status: .created)
    }

    @Sendable func callNext(_ request: Request, context: KioskRequestContext) async throws -> Response {
        try context.respond(try await queues.callNext(queue: try context.parameters.require("queue")))
    }
}
