import Flows
import Foundation
import Hummingbird
import KioskStore
import NIOHTTP1
import Logging
import NIOCore

/// The first router middleware, the one place where what the services throw becomes HTTP:
/// every failure — unknown route, oversized or malformed body,
/// refused event, storage fault, anything unexpected — is answered as the API's JSON error,
/// and nothing a client sends can take the daemon down. (Hummingbird's router runs its
/// middlewares for unmatched paths too, so 404s come through here.)
struct JSONErrorMiddleware: RouterMiddleware {
    typealias Context = KioskRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return try Self.apiError(for: error, context.logger).response(from: request, context: context)
        }
    }

    static func apiError(for error: any Error, _ logger: Logger) -> APIError {
        switch error {
        case let error as APIError: return error
        case let refusal as FlowError: return APIError(refusal)
        case let refusal as KioskError: return APIError(refusal)
        case let failure as StoreError:
            logger.error("storage failure", metadata: ["kiosk.error": "\(failure)"])
            return APIError(failure)
        case is NIOTooManyBytesError:
            return tooLarge
        case let http as HTTPError:
            switch http.status {
            case .notFound:
                return APIError(.notFound, code: "route.not_found", vi: "Không có địa chỉ này.", en: "No such address.")
            case .contentTooLarge:
                return tooLarge
            case .badRequest:
                return APIError.badRequest("the body is not valid JSON of the expected shape")
            case .methodNotAllowed:
                return APIError(.methodNotAllowed, code: "route.method_not_allowed", vi: "Phương thức không được hỗ trợ.", en: "Method not allowed.")
            default:
                return APIError(http.status, code: "request.invalid", vi: "Yêu cầu không hợp lệ.", en: http.body ?? "The request is not valid.")
            }
        case is DecodingError:
            return APIError.badRequest("\(Self.describe(error))")
        case is HTTPParserError, is ChannelError, is IOError:
            // The client hung up mid-request or sent what is not HTTP: its fault, not the
            // kiosk's — nothing for the technician's error log.
            logger.debug("request cut off or malformed", metadata: ["kiosk.error": "\(String(describing: type(of: error)))"])
            return APIError.badRequest("the request was cut off or is not HTTP")
        default:
            logger.error("unexpected error", metadata: ["kiosk.error": "\(String(describing: type(of: error)))"])
            return APIError(
                .internalServerError, code: "internal", vi: "Ki-ốt gặp lỗi. Vui lòng thử lại hoặc báo cán bộ.",
                en: "The kiosk hit an error. Please try again or tell staff.")
        }
    }

    static let tooLarge = APIError(
        .contentTooLarge, code: "request.too_large",
        vi: "Dữ liệu gửi lên quá lớn.", en: "The request body is too large (limit 64 KiB).")

    /// A decoding error's path and reason, without echoing the values sent.
    /// A JSON type in words, for an error message.
    static func expected(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "text (a JSON string)"
        case is Int.Type, is Int64.Type, is Int32.Type: "a whole number"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "true or false"
        case is UUID.Type: "a UUID string"
        default:
            String(describing: type).hasPrefix("Array")
                ? "a list (a JSON array)" : String(describing: type).hasPrefix("Dictionary") ? "an object" : "a \(type)"
        }
    }

    static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "malformed JSON" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch decoding {
        case .keyNotFound(let key, let context): return "missing field \(path(context)).\(key.stringValue)"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let place = path(context).isEmpty ? "the body" : "field \(path(context).dropFirst())"
            return "\(place) should be \(expected(type))"
        case .dataCorrupted(let context): return context.codingPath.isEmpty ? "malformed JSON" : "invalid value at \(path(context))"
        @unknown default: return "malformed JSON"
        }
    }
}
