import Foundation
import Hummingbird
import KioskAPI
import NIOCore

/// The request context of the local API: the API's JSON coders, configured once here for
/// every route. Bodies are small JSON events: anything larger than 64 KiB is refused with 413
/// before it is decoded.
struct KioskRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The request came through the technician's Unix domain socket (kioskctl), not the
    /// applicant's TCP port.
    let isTechnician: Bool

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        if case .unixDomainSocket = source.channel.localAddress { isTechnician = true } else { isTechnician = false }
    }

    var maxUploadSize: Int { 64 * 1024 }
    var requestDecoder: APIRequestDecoder { APIRequestDecoder() }
    var responseEncoder: APIResponseEncoder { APIResponseEncoder() }

    /// `value` as the API's JSON, with `status`.
    func respond(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        var response = try responseEncoder.encode(value)
        response.status = status
        return response
    }

    /// The body decoded, or nil when the request has none (an optional body).
    func decodeIfPresent<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T? {
        var request = request
        let body = try await request.collectBody(upTo: maxUploadSize)
        guard body.readableBytes > 0 else { return nil }
        return try APIRequestDecoder.decode(T.self, Data(body.readableBytesView))
    }
}

/// Request bodies: JSON with the API's decoder (ISO 8601 dates).
struct APIRequestDecoder: RequestDecoder {
    func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        return try Self.decode(T.self, Data(body.readableBytesView))
    }

    /// Decodes, turning a decoding failure into a 400 that names the field and the type it
    /// should have (not Hummingbird's one message for every shape).
    static func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        do {
            return try APICoding.decoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw APIError.badRequest(JSONErrorMiddleware.describe(error))
        }
    }
}

/// Responses: JSON with the API's encoder (sorted keys, ISO 8601 dates), one line.
struct APIResponseEncoder: ResponseEncoder {
    func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        try encode(value)
    }

    func encode(_ value: some Encodable) throws -> Response {
        var data = try APICoding.encoder().encode(value)
        data.append(0x0A)
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
