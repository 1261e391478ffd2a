import CentralProtocol
import Foundation
import Hummingbird

/// The operations centre's read-outs, behind the admin token (`Authorization: Bearer …`).
struct FleetController: Sendable {
    let store: CentralStore
    let adminToken: String
    let heartbeatSeconds: Int

    func addRoutes(to router: Router<CentralContext>) {
        router.get("v1/fleet", use: fleet)
        router.get("v1/dossiers", use: dossiers)
    }

    func checkAdmin(_ request: Request) throws {
        let given = Array((request.headers[.authorization] ?? "").utf8)
        let expected = Array("Bearer \(adminToken)".utf8)
        // Compared in constant time.
        var difference = given.count ^ expected.count
        for index in expected.indices { difference |= Int(expected[index] ^ (index < given.count ? given[index] : 0)) }
        guard difference == 0 else {
            throw CentralError(
                401, "admin.unauthorized", vi: "Cần mã quản trị.", en: "The admin token is missing or wrong (see admin.token in the state directory)."
            )
        }
    }

    @Sendable func fleet(_ request: Request, context: CentralContext) async throws -> Response {
        try checkAdmin(request)
        return try context.respond(try await store.fleet(heartbeatSeconds: heartbeatSeconds))
    }

    @Sendable func dossiers(_ request: Request, context: CentralContext) async throws -> Response {
        try checkAdmin(request)
        let limit = request.uri.queryParameters.get("limit").flatMap(Int.init).map { min(max($0, 1), 1000) } ?? 100
        return try context.respond(try await store.receivedDossiers(limit: limit))
    }
}
