import CentralProtocol
import Foundation
import Hummingbird
import Logging

/// What kiosks call: enrolment and heartbeats.
struct KioskLinkController: Sendable {
    let store: CentralStore
    let authenticator: RequestAuthenticator
    let centralKey: SigningKey
    let heartbeatSeconds: Int

    func addRoutes(to router: Router<CentralContext>) {
        router.post("v1/enrolments", use: enrol)
        router.post("v1/heartbeats", use: heartbeat)
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
        let commands = try pending.map { kind, id, arguments, issuedAt in
            try SignedCommand(
                RemoteCommand(
                    kioskId: kioskId, id: id, kind: kind, arguments: arguments, issuedAt: issuedAt, ageSeconds: now.timeIntervalSince(issuedAt)),
                key: centralKey)
        }
        return try context.respond(HeartbeatReply(serverTime: now, heartbeatSeconds: heartbeatSeconds, commands: commands))
    }
}
