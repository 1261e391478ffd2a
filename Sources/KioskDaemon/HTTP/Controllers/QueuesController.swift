import Hummingbird
import KioskAPI

/// `/queues/{queue}`: queue tickets issued and called.
struct QueuesController: Sendable {
    let queues: QueueService

    func addRoutes(to group: RouterGroup<KioskRequestContext>) {
        group.post("queues/{queue}/tickets", use: issue)
        group.post("queues/{queue}/call", use: callNext)
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
