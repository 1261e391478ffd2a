import KioskAPI
import Flows
import Foundation
import Hummingbird
import KioskStore
import Localized

/// `/procedures`: the catalog, searched and read.
struct ProceduresController: Sendable {
    let live: LiveCatalog
    let store: KioskStore
    var catalog: Catalog { live.current }

    func addRoutes(to group: RouterGroup<KioskRequestContext>) {
        group.get("procedures", use: search)
        group.get("procedures/{code}", use: procedure)
    }

    @Sendable func search(_ request: Request, context: KioskRequestContext) async throws -> Response {
        // Most used over the last 90 days first: the screen's list starts with what most
        // applicants at this kiosk came for.
        let since = Date().addingTimeInterval(-90 * 86_400)
        let uses = (try? await store.read { try $0.dossierCounts(since: since) }) ?? [:]
        let found = Catalog.mostUsedFirst(
            catalog.search(
                text: request.uri.queryParameters["q"].map(String.init),
                field: request.uri.queryParameters["field"].map(String.init)),
            uses: uses)
        var seen: Set<String> = []
        let fields = catalog.procedures.map(\.field).filter { seen.insert($0.id).inserted }
        return try context.respond(ProcedureList(procedures: found.map(ProcedureList.Item.init), fields: fields))
    }

    @Sendable func procedure(_ request: Request, context: KioskRequestContext) async throws -> Response {
        let code = try context.parameters.require("code")
        guard let procedure = catalog.procedure(code) else { throw KioskError.procedureNotFound(code) }
        return try context.respond(procedure)
    }
}
