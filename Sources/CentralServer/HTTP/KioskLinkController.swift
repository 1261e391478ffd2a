import CentralProtocol
import Foundation
import Hummingbird
import Logging

/// What kiosks call: enrolment, heartbeats, the catalog bundles their commands name, and
/// diagnostics bundles.
struct KioskLinkController: Sendable {
    let store: CentralStore
    let authenticator: RequestAuthenticator
    let centralKey: SigningKey
    let heartbeatSeconds: Int

    func addRoutes(to router: Router<CentralContext>) {
        router.post("v1/enrolments", use: enrol)
        router.post("v1/heartbeats", use: heartbeat)
        router.get("v1/catalog-bundles/:sha256", use: catalogBundle)
        router.post("v1/diagnostics", use: diagnostics)
        router.get("v1/health") { _, context in try context.respond(["status": "ok"]) }
    }

    /// A kiosk proves it holds the key it registers by signing the request with it.
    @Sendable func enrol(_ request: Request, context: CentralContext) async throws -> Response {
        let (signed, body) = try await RequestAuthenticator.read(request, context: context, limit: CentralLimits.enrolmentBytes)
        let now = Date()
        let enrolment = try CentralCoding.decoder().decode(EnrolmentRequest.self, from: body)
        guard !enrolment.kioskId.isEmpty, enrolment.kioskId.count <= 32,
            enrolment.kioskId.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { throw CentralError.badRequest("kioskId: up to 32 letters, digits, - or _") }
        do {
            let signature = try ReceivedSignature(request: signed, body: body)
            guard signature.parameters.keyID == enrolment.kioskId else { throw SignatureError.malformed("keyid must be the kiosk id") }
            try signature.verify(request: signed, key: enrolment.publicKey, now: now)
        } catch let error as SignatureError {
            throw CentralError.unauthenticated(error, serverTime: now)
        }
        let unit = try await store.enrol(enrolment, now: now)
        context.logger.notice("kiosk enrolled", metadata: ["central.kiosk": "\(enrolment.kioskId)", "central.unit": "\(unit)"])
        return try context.respond(
            EnrolmentResponse(
                kioskId: enrolment.kioskId, centralKey: centralKey.publicKey, heartbeatSeconds: heartbeatSeconds, receivingUnit: unit,
                serverTime: now))
    }

    /// Stores the heartbeat and answers with the time, the period, and the pending commands,
    /// each signed now with its age.
    @Sendable func heartbeat(_ request: Request, context: CentralContext) async throws -> Response {
        let (kioskId, body) = try await authenticator.authenticate(request, context: context, limit: CentralLimits.heartbeatBytes)
        let heartbeat = try CentralCoding.decoder().decode(Heartbeat.self, from: body)
        let now = Date()
        let pending = try await store.record(heartbeat: heartbeat, body: body, kioskId: kioskId, now: now)
        if heartbeat.goingOffline {
            context.logger.info("kiosk going offline", metadata: ["central.kiosk": "\(kioskId)"])
        }
        // A command issued (by another process) while this heartbeat was being stored is
        // younger than `now`: its age is zero, not negative.
        let commands = try pending.map { kind, id, arguments, issuedAt in
            try SignedCommand(
                RemoteCommand(
                    kioskId: kioskId, id: id, kind: kind, arguments: arguments, issuedAt: issuedAt,
                    ageSeconds: max(0, now.timeIntervalSince(issuedAt))),
                key: centralKey)
        }
        return try context.respond(HeartbeatReply(serverTime: now, heartbeatSeconds: heartbeatSeconds, commands: commands))
    }

    /// A published catalog bundle, signed, for any enrolled kiosk (catalogs are public).
    @Sendable func catalogBundle(_ request: Request, context: CentralContext) async throws -> Response {
        _ = try await authenticator.authenticate(request, context: context, limit: 0)
        let sha256 = context.parameters.get("sha256") ?? ""
        guard sha256.count == 64, sha256.allSatisfy({ $0.isHexDigit }),
            let bundle = try await store.catalogBundle(sha256: sha256.lowercased())
        else {
            throw CentralError(
                404, "catalog.unknown_bundle", vi: "Không có gói danh mục này.", en: "No catalog bundle has this SHA-256: publish it first.",
                detail: String(sha256.prefix(64)))
        }
        return try context.respond(bundle)
    }

    /// Keeps a kiosk's diagnostics bundle, as sent.
    @Sendable func diagnostics(_ request: Request, context: CentralContext) async throws -> Response {
        let (kioskId, body) = try await authenticator.authenticate(request, context: context, limit: DiagnosticsBundle.maxBytes)
        let bundle = try CentralCoding.decoder().decode(DiagnosticsBundle.self, from: body)
        guard bundle.kioskId == kioskId else { throw CentralError.badRequest("kioskId: the bundle names another kiosk") }
        try await store.keep(diagnostics: body, commandId: bundle.commandId, kioskId: kioskId, now: Date())
        context.logger.info("diagnostics received", metadata: ["central.kiosk": "\(kioskId)", "central.bytes": "\(body.count)"])
        return try context.respond(["received": true], status: .created)
    }
}
