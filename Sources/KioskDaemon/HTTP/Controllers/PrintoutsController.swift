import Foundation
import Hummingbird
import KioskAPI

/// `/dossiers/{id}/print`: a technician's reprint of a sealed dossier's printout; `{id}` is its
/// client UUID or the reference printed on its receipt.
struct PrintoutsController: Sendable {
    let printouts: PrintoutService

    func addRoutes(to group: RouterGroup<KioskRequestContext>) {
        group.post("dossiers/{id}/print", use: reprint)
    }

    @Sendable func reprint(_ request: Request, context: KioskRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let body = try await request.decode(as: PrintRequest.self, context: context)
        return try context.respond(try await printouts.reprint(dossier: id, kind: body.kind))
    }
}
