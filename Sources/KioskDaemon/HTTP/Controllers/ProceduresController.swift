import KioskAPI
import Flows
import Hummingbird
import Localized

/// `/procedures`: the catalog, searched and read.
struct ProceduresController: Sendable {
    let live: LiveCatalog
    var catalog: Catalog { live.current }

    func addRoutes(to group: RouterGroup<KioskRequestContext>) {
        group.get("procedures", use: search)
        group.get("procedures/{code}", use: procedure)
    }

    @Sendable func search(_ request: Request, context: KioskRequestContext) async throws -> Response {
        let found = catalog.search(
            text: request.uri.queryParameters["q"].map(String.init),
            field: request.uri.queryParameters["field"].map(String.init))
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
