import Flows
import Hummingbird
import Localized

/// `/procedures`: the catalog, searched and read.
struct ProceduresController: Sendable {
    let catalog: Catalog

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

/// `GET /api/v1/procedures`.
struct ProcedureList: Encodable {
    struct Item: Encodable {
        var code: String
        var codeIsSample: Bool
        var name: LocalizedText
        var field: ProcedureField
        var agency: LocalizedText
        var timeLimitWorkingDays: Int
        var onlineLevel: OnlineLevel
        var totalFeeVND: Int

        init(_ p: Procedure) {
            code = p.code
            codeIsSample = p.codeIsSample
            name = p.name
            field = p.field
            agency = p.agency
            timeLimitWorkingDays = p.timeLimitWorkingDays
            onlineLevel = p.onlineLevel
            totalFeeVND = p.fees.reduce(0) { $0 + $1.amountVND }
        }
    }

    var procedures: [Item]
    var fields: [ProcedureField]
}
