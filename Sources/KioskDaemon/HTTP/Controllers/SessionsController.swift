import KioskAPI
import KioskStore
import Flows
import Foundation
import Hummingbird
import Localized

/// `/sessions`: an applicant's session — start it, read its screen, send it events.
struct SessionsController: Sendable {
    let sessions: SessionService
    let languages: [Language]
    let defaultLanguage: Language

    func addRoutes(to group: RouterGroup<KioskRequestContext>) {
        group.post("sessions", use: start)
        group.get("sessions/{id}", use: screen)
        group.post("sessions/{id}/events", use: event)
    }

    @Sendable func start(_ request: Request, context: KioskRequestContext) async throws -> Response {
        let body = try await context.decodeIfPresent(StartSessionRequest.self, from: request)
        let session = try await sessions.start(requested: body?.language, offered: languages, fallback: defaultLanguage)
        return try context.respond(SessionScreen(session), status: .created)
    }

    @Sendable func screen(_ request: Request, context: KioskRequestContext) async throws -> Response {
        let session = try await sessions.session(try Self.sessionID(context))
        var screen = SessionScreen(session)
        if let dossier = session.dossier?.clientUUID {
            screen.centralCode = (try? await sessions.store.read { try $0.centralCode(dossier: dossier) }) ?? nil
        }
        return try context.respond(screen)
    }

    @Sendable func event(_ request: Request, context: KioskRequestContext) async throws -> Response {
        let id = try Self.sessionID(context)
        let event = try await request.decode(as: EventRequest.self, context: context).event()
        let outcome = try await sessions.apply(event, to: id)
        guard outcome.transition.rejected.isEmpty else {
            return try context.respond(
                RejectedEvent(session: SessionScreen(outcome.session), rejected: outcome.transition.rejected),
                status: .unprocessableContent)
        }
        return try context.respond(SessionScreen(outcome.session))
    }

    static func sessionID(_ context: KioskRequestContext) throws -> UUID {
        guard let id = UUID(uuidString: try context.parameters.require("id")) else { throw KioskError.sessionNotFound }
        return id
    }
}
