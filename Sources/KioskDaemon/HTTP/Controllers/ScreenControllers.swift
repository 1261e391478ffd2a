import Foundation
import Hummingbird
import KioskAPI
import Localized
import Logging

/// `GET /screen`: the kiosk's settings the applicant's screen needs (ScreenSettings).
struct ScreenSettingsController: Sendable {
    let settings: ScreenSettings

    func addRoutes(to group: RouterGroup<KioskRequestContext>) {
        group.get("screen", use: read)
    }

    @Sendable func read(_ request: Request, context: KioskRequestContext) async throws -> Response {
        try context.respond(settings)
    }
}

/// `POST /speech {"text": "…", "language": "vi"}` → `audio/wav`: the screen's instruction,
/// spoken. A POST, so that no text is ever part of a URL (or of a log of URLs).
struct SpeechController: Sendable {
    let speech: SpeechService

    struct SpeechRequest: Decodable {
        var text: String
        var language: Language
    }

    func addRoutes(to group: RouterGroup<KioskRequestContext>) {
        group.post("speech", use: speak)
    }

    @Sendable func speak(_ request: Request, context: KioskRequestContext) async throws -> Response {
        let body = try await request.decode(as: SpeechRequest.self, context: context)
        do {
            let wav = try await speech.speech(body.text, language: body.language)
            return Response(status: .ok, headers: [.contentType: "audio/wav"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: wav)))
        } catch SpeechService.Failure.tooLong {
            throw APIError.badRequest("text: 1 to \(SpeechService.maxCharacters) characters")
        } catch SpeechService.Failure.unavailable(let why) {
            context.logger.warning("spoken guidance unavailable", metadata: ["kiosk.error": "\(why)"])
            throw APIError(
                .serviceUnavailable, code: "speech.unavailable", vi: "Ki-ốt tạm thời không đọc được hướng dẫn.",
                en: "Spoken guidance is not available on this kiosk now.", detail: why)
        }
    }
}
