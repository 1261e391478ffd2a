import HTTPTypes
import Hummingbird

/// Headers on every answer, added outermost so that error answers carry them too.
///
/// The API's answers hold personal data (names, ID numbers, answers): `Cache-Control:
/// no-store` keeps every one of them out of the browser's caches and its back/forward cache,
/// so nothing of an applicant survives the session in the kiosk's browser. The screen's own
/// files are the same for everyone (`no-cache`: revalidated, so a software update shows at
/// once) and run under a Content-Security-Policy that allows only the kiosk's own origin:
/// no inline script, nothing fetched from elsewhere, no framing.
struct ScreenHeaders: RouterMiddleware {
    typealias Context = KioskRequestContext

    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
        + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        let isAPI = request.uri.path.hasPrefix("/api/")
        response.headers[.cacheControl] = isAPI ? "no-store" : "no-cache"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[Self.referrerPolicy] = "no-referrer"
        if !isAPI {
            response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
            response.headers[Self.xFrameOptions] = "DENY"
        }
        return response
    }
}
