import Devices
import Flows
import Foundation
import Hummingbird
import KioskAPI
import KioskStore
import Localized

/// The local API under `/api/v1`.
struct KioskAPIRoutes: Sendable {
    let config: KioskConfig
    let catalog: Catalog
    let sessions: SessionService
    let devices: DeviceSet
    let hub: EventHub
    let startedAt: Date

    func register(on router: Router<KioskRequestContext>) {
        let api = router.group("api/v1")
        api.get("health") { _, _ in
            try json(HealthReport(status: "ok", kioskId: config.kiosk.id, version: KioskVersion.current))
        }
        api.get("status") { _, _ in try json(await status()) }
        api.get("procedures") { request, _ in
            let found = catalog.search(text: request.uri.queryParameters["q"].map(String.init),
                                       field: request.uri.queryParameters["field"].map(String.init))
            return try json(ProcedureList(procedures: found.map(ProcedureList.Item.init), fields: fields()))
        }
        api.get("procedures/{code}") { _, context in
            let code = try context.parameters.require("code")
            guard let procedure = catalog.procedure(code) else { throw APIError.procedureNotFound(code) }
            return try json(procedure)
        }
        api.post("sessions") { request, context in
            let body = try await decodeOptional(StartSessionRequest.self, request, context)
            var language = body?.language ?? config.session.defaultLanguage
            if !config.session.languages.contains(language) { language = config.session.defaultLanguage }
            let session = try await sessions.start(language: language)
            return try json(SessionScreen(session), status: .created)
        }
        api.get("sessions/{id}") { _, context in
            try json(SessionScreen(try await sessions.session(try sessionID(context))))
        }
        api.post("sessions/{id}/events") { request, context in
            let id = try sessionID(context)
            let event = try await request.decode(as: EventRequest.self, context: context).event()
            let outcome = try await sessions.apply(event, to: id)
            guard outcome.transition.rejected.isEmpty else {
                return try json(RejectedEvent(session: SessionScreen(outcome.session), rejected: outcome.transition.rejected),
                                status: .unprocessableContent)
            }
            return try json(SessionScreen(outcome.session))
        }
        api.post("dossiers/{id}/print") { request, context in
            // The technician's reprint: the dossier as sealed, the printer as configured.
            guard let id = UUID(uuidString: try context.parameters.require("id")) else { throw APIError.dossierNotFound }
            let body = try await request.decode(as: PrintRequest.self, context: context)
            guard let kind = PrintKind(rawValue: body.kind) else { throw APIError.badRequest("kind must be receipt or declaration") }
            guard let dossier = try await sessions.store.read({ try $0.dossier(id) }) else { throw APIError.dossierNotFound }
            guard let procedure = catalog.procedure(dossier.procedureCode) else { throw APIError.procedureNotFound(dossier.procedureCode) }
            let job = try Printouts(config: config).job(kind, dossier: dossier, procedure: procedure)
            let outcome: PrintOutcome
            do throws(DeviceFailure) {
                outcome = try await devices.printer.print(job)
            } catch {
                throw APIError(.serviceUnavailable, code: error.notice.code, vi: error.notice.message.vi, en: error.notice.message.en)
            }
            return try json(PrintReport(dossier: id, kind: kind.rawValue, job: outcome.jobReference))
        }
        registerQueues(on: api)
        api.get("devices") { _, _ in try json(await devices.statuses()) }
        api.post("devices/{id}/fault") { request, context in
            let id = try context.parameters.require("id")
            guard let device = devices.faultInjectable(id) else {
                throw APIError(.conflict, code: "device.not_simulated", vi: "Chỉ thiết bị giả lập mới nhận lỗi giả lập.",
                               en: "Only simulated devices accept injected faults; \"\(id.prefix(40))\" is not one.")
            }
            let fault = try await request.decode(as: FaultRequest.self, context: context).fault
            do {
                try await device.inject(fault: fault)
            } catch let failure as DeviceFailure {
                throw APIError(.badRequest, code: failure.notice.code, vi: failure.notice.message.vi, en: failure.notice.message.en)
            }
            return try json(await device.status())
        }
        api.get("events") { request, _ in
            let filter = request.uri.queryParameters["session"].flatMap { UUID(uuidString: String($0)) }
            return await EventStream.response(hub: hub, devices: devices, session: filter)
        }
    }

    private func status() async throws -> StatusReport {
        let store = sessions.store
        let summary = try await store.read { try $0.summary() }
        return StatusReport(
            kioskId: config.kiosk.id, officeName: config.kiosk.officeName, version: KioskVersion.current,
            startedAt: startedAt, uptimeSeconds: Date().timeIntervalSince(startedAt),
            store: .init(path: store.path, journalMode: try await store.journalMode(), schemaVersions: try await store.appliedMigrations()),
            catalog: .init(directory: config.catalogDirectory.path, procedures: catalog.procedures.count, issues: catalog.issues.map(\.description)),
            devices: await devices.statuses(), openSessions: summary.openSessions, sealedDossiers: summary.sealedDossiers,
            outboxDepth: summary.outboxDepth)
    }

    private func fields() -> [ProcedureField] {
        var seen: Set<String> = []
        return catalog.procedures.map(\.field).filter { seen.insert($0.id).inserted }
    }

    private func sessionID(_ context: KioskRequestContext) throws -> UUID {
        guard let id = UUID(uuidString: try context.parameters.require("id")) else { throw APIError.sessionNotFound }
        return id
    }

    /// Decodes a body that may be empty.
    func decodeOptional<T: Decodable>(_ type: T.Type, _ request: Request, _ context: KioskRequestContext) async throws -> T? {
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        guard body.readableBytes > 0 else { return nil }
        return try APICoding.decoder().decode(T.self, from: Data(body.readableBytesView))
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

/// A 422 answer: the event was stored (answers kept) but the step did not advance.
struct RejectedEvent: Encodable {
    var code = "flow.validation_failed"
    var message = LocalizedText(vi: "Vui lòng kiểm tra lại các mục được đánh dấu.", en: "Please check the highlighted fields.")
    var session: SessionScreen
    var fields: [String: LocalizedText]

    init(session: SessionScreen, rejected: [String: LocalizedText]) {
        self.session = session
        fields = rejected
    }
}

/// A JSON response with the API's encoder.
func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
    var data = try APICoding.encoder().encode(value)
    data.append(0x0A)
    return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
}
