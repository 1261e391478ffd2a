import CentralProtocol
import Foundation
import Logging
import Hummingbird
import NIOCore

/// The central's request context: the protocol's JSON coders. Bodies are collected by the
/// handlers (they are signed, so their bytes are needed), each up to its own limit.
public struct CentralContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// A file chunk's limit; manifests and heartbeats have smaller ones.
    public var maxUploadSize: Int { CentralLimits.chunkBytes }

    func respond(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        var data = try CentralCoding.encoder().encode(value)
        data.append(0x0A)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Sizes the central accepts.
public enum CentralLimits {
    public static let chunkBytes = 8 * 1024 * 1024
    public static let heartbeatBytes = 256 * 1024
    public static let enrolmentBytes = 16 * 1024
    public static let fileBytes = 200 * 1024 * 1024
    public static let filesPerDossier = 64
}

/// Turns every failure into the protocol's JSON error; nothing a client sends can take the
/// central down, and nothing internal leaks into an answer.
struct CentralErrorMiddleware: RouterMiddleware {
    typealias Context = CentralContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let refusal = Self.refusal(for: error, context: context)
            return try context.respond(refusal.body, status: HTTPResponse.Status(code: refusal.status))
        }
    }

    static func refusal(for error: any Error, context: Context) -> CentralError {
        switch error {
        case let refusal as CentralError: return refusal
        case is NIOTooManyBytesError:
            return CentralError(413, "request.too_large", vi: "Yêu cầu quá lớn.", en: "The request is too large.")
        case let http as HTTPError:
            switch http.status {
            case .notFound: return .notFound
            case .methodNotAllowed:
                return CentralError(405, "route.method_not_allowed", vi: "Phương thức không được hỗ trợ.", en: "Method not allowed.")
            case .contentTooLarge:
                return CentralError(413, "request.too_large", vi: "Yêu cầu quá lớn.", en: "The request is too large.")
            default:
                return CentralError(http.status.code, "request.invalid", vi: "Yêu cầu không hợp lệ.", en: http.body ?? "The request is not valid.")
            }
        case let decoding as DecodingError:
            return .badRequest("the body is not what this endpoint takes: \(Self.describe(decoding))")
        case is ChannelError, is IOError:
            return .badRequest("the request was cut off")
        default:
            context.logger.error("unexpected error", metadata: ["central.error": "\(String(reflecting: error))"])
            return CentralError(500, "internal", vi: "Máy chủ gặp lỗi.", en: "The central hit an error; it is logged.")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context).isEmpty ? "" : path(context) + ".")\(key.stringValue) is missing"
        case .typeMismatch(let type, let context): return "\(path(context)) should be \(type)"
        case .valueNotFound(let type, let context): return "\(path(context)) should be \(type), not null"
        case .dataCorrupted(let context): return path(context).isEmpty ? "not JSON" : "\(path(context)): \(context.debugDescription)"
        @unknown default: return "not readable"
        }
    }
}
