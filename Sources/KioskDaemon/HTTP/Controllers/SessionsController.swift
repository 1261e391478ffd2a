import KioskAPI
import KioskStore
import Flows
import Foundation
import Hummingbird
import Imaging
import Printing
import Localized
import NIOPosix

/// `/sessions`: an applicant's session — start it, read its screen, send it events.
struct SessionsController: Sendable {
    let sessions: SessionService
    let languages: [Language]
    let defaultLanguage: Language

    func addRoutes(to group: RouterGroup<KioskRequestContext>) {
        group.post("sessions", use: start)
        group.get("sessions/{id}", use: screen)
        group.post("sessions/{id}/events", use: event)
        group.get("sessions/{id}/pages/{page}", use: page)
        group.get("sessions/{id}/receipt-qr", use: receiptQR)
    }

    /// The tracking QR code of the session's sealed dossier (its central code once known, else
    /// the provisional reference: what the printed receipt carries), as SVG.
    @Sendable func receiptQR(_ request: Request, context: KioskRequestContext) async throws -> Response {
        let session = try await sessions.session(try Self.sessionID(context))
        guard let dossier = session.dossier else {
            throw APIError(.notFound, code: "dossier.not_sealed", vi: "Hồ sơ chưa được nộp.", en: "This session has not sealed a dossier yet.")
        }
        let central = (try? await sessions.store.read { try $0.centralCode(dossier: dossier.clientUUID) }) ?? nil
        guard let svg = QRCodeSVG.svg(central ?? dossier.provisionalReference) else {
            throw APIError(.internalServerError, code: "qr.failed", vi: "Không tạo được mã QR.", en: "The QR code could not be made.")
        }
        return Response(status: .ok, headers: [.contentType: "image/svg+xml"], body: ResponseBody(byteBuffer: ByteBuffer(string: svg)))
    }

    /// A scanned page's preview (JPEG, 300 to 600 px wide), for the thumbnail on the documents
    /// screen: only while the session is open and the page is one of its own (a closed
    /// session's pages are the dossier's, never shown again). Black-and-white pages have no
    /// preview here (the screen says so instead).
    @Sendable func page(_ request: Request, context: KioskRequestContext) async throws -> Response {
        let session = try await sessions.session(try Self.sessionID(context))
        guard let pageId = UUID(uuidString: try context.parameters.require("page")),
            !session.status.isClosed, session.pages.values.contains(where: { $0.contains { $0.id == pageId } }),
            let page = try await sessions.store.read({ try $0.page(pageId) })
        else {
            throw APIError(.notFound, code: "page.not_found", vi: "Không tìm thấy trang này.", en: "No such page in this session.")
        }
        guard page.filter == .dct else {
            throw APIError(
                .unsupportedMediaType, code: "page.not_viewable", vi: "Trang đen trắng không có ảnh xem trước.",
                en: "A black-and-white page has no preview.")
        }
        // A preview, not the page: a 300 dpi colour page is ~0.5 MB, its preview ~20 KB.
        // Decoding and encoding take milliseconds of CPU: off the cooperative pool.
        let data = page.data
        let preview = try await NIOThreadPool.singleton.runIfActive {
            try JPEGEncoder().encode(try JPEGDecoder().preview(data, minimumWidth: 300), quality: 60, progressive: false)
        }
        return Response(status: .ok, headers: [.contentType: "image/jpeg"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: preview)))
    }

    @Sendable func start(_ request: Request, context: KioskRequestContext) async throws -> Response {
        let body = try await context.decodeIfPresent(StartSessionRequest.self, from: request)
        if let consent = body?.consent, !FlowSession.Consent.isValidVersion(consent) {
            throw APIError.badRequest("consent: the version of the consent text shown, 1 to 32 of A-Z a-z 0-9 . _ -")
        }
        let session = try await sessions.start(requested: body?.language, offered: languages, fallback: defaultLanguage, consent: body?.consent)
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
