import Foundation
import Hummingbird
import KioskAPI

/// The central link and the outbox, for technicians (kioskctl enroll, link, outbox).
struct LinkController: Sendable {
    let link: LinkService

    func addRoutes(to group: RouterGroup<KioskRequestContext>) {
        group.get("link", use: report)
        group.post("link/enrolment", use: enrol)
        group.get("outbox", use: outbox)
        group.post("outbox/:dossier/:action", use: act)
    }

    @Sendable func report(_ request: Request, context: KioskRequestContext) async throws -> Response {
        try context.respond(try await link.report())
    }

    @Sendable func enrol(_ request: Request, context: KioskRequestContext) async throws -> Response {
        let body = try await request.decode(as: EnrolRequest.self, context: context)
        return try context.respond(try await link.enrol(central: body.central, token: body.token))
    }

    @Sendable func outbox(_ request: Request, context: KioskRequestContext) async throws -> Response {
        try context.respond(try await link.outbox())
    }

    @Sendable func act(_ request: Request, context: KioskRequestContext) async throws -> Response {
        guard let text = context.parameters.get("dossier"), let dossier = UUID(uuidString: text) else {
            throw KioskError.invalidValue(field: "dossier", expected: "a dossier UUID")
        }
        return try context.respond(try await link.act(context.parameters.get("action") ?? "", dossier: dossier))
    }
}
