import Foundation
import Hummingbird
import KioskAPI
import NIOCore
import ServiceLifecycle

/// The technician's own routes (served on the technician socket only, see `TechnicianGate`):
/// open sessions and ending one, the recent log (and following it), maintenance mode, device
/// self-tests and the diagnostics bundle.
struct TechnicianController: Sendable {
    let technician: TechnicianService
    let selfTest: DeviceSelfTest
    let diagnostics: @Sendable () async throws -> DiagnosticsReport

    func addRoutes(to group: RouterGroup<KioskRequestContext>) {
        group.get("sessions", use: sessions)
        group.post("sessions/{id}/abandon", use: abandon)
        group.get("logs", use: logs)
        group.get("maintenance", use: maintenance)
        group.put("maintenance", use: setMaintenance)
        group.post("selftests", use: runSelfTest)
        group.get("diagnostics", use: bundle)
    }

    @Sendable func sessions(_ request: Request, context: KioskRequestContext) async throws -> Response {
        try context.respond(try await technician.openSessions())
    }

    @Sendable func abandon(_ request: Request, context: KioskRequestContext) async throws -> Response {
        guard let id = UUID(uuidString: try context.parameters.require("id")) else { throw KioskError.sessionNotFound }
        return try context.respond(try await technician.abandon(id))
    }

    /// `?lines=N` (default 200): the last N lines as JSON. `?follow`: those lines, then each
    /// new one as it is logged, as plain text, one per line, until the client hangs up.
    @Sendable func logs(_ request: Request, context: KioskRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        var count = 200
        if let text = query["lines"] {
            guard let value = Int(text), (0...10_000).contains(value) else {
                throw KioskError.invalidValue(field: "lines", expected: "a whole number from 0 to 10000")
            }
            count = value
        }
        let recent = technician.logs(last: count)
        guard query["follow"] != nil else { return try context.respond(recent) }
        let stream = technician.recentLog.follow()
        return Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody { writer in
                for line in recent.lines { try await writer.write(ByteBuffer(string: line + "\n")) }
                for await line in stream.cancelOnGracefulShutdown() { try await writer.write(ByteBuffer(string: line + "\n")) }
                try await writer.finish(nil)
            })
    }

    @Sendable func maintenance(_ request: Request, context: KioskRequestContext) async throws -> Response {
        try context.respond(try await technician.maintenanceState())
    }

    @Sendable func setMaintenance(_ request: Request, context: KioskRequestContext) async throws -> Response {
        let body = try await request.decode(as: MaintenanceRequest.self, context: context)
        return try context.respond(try await technician.setMaintenance(body.on))
    }

    @Sendable func runSelfTest(_ request: Request, context: KioskRequestContext) async throws -> Response {
        let body = try await request.decode(as: SelfTestRequest.self, context: context)
        let result: SelfTestResult
        do throws(DeviceSelfTest.Refusal) {
            result = try await selfTest.run(device: body.device, level: body.level)
        } catch .applicantFiling(let open) {
            throw APIError(
                .conflict, code: "selftest.applicant_filing", vi: "Đang có người dân làm thủ tục trên ki-ốt.",
                en: "An applicant is filing (\(open) open session(s)): turn maintenance on (kioskctl maintenance on), wait, then test.")
        } catch .unknownDevice(let id, let known) {
            throw APIError(
                .notFound, code: "device.not_found", vi: "Không có thiết bị này.",
                en: "No device \"\(id.prefix(40))\"; the kiosk has \(known.joined(separator: ", ")).")
        }
        return try context.respond(result)
    }

    @Sendable func bundle(_ request: Request, context: KioskRequestContext) async throws -> Response {
        try context.respond(try await diagnostics())
    }
}
