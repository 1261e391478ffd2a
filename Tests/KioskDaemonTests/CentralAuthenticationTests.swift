import CentralProtocol
import Flows
import Foundation
import Localized
import KioskTestSupport
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What a real kiosk-central refuses, and why: requests unsigned, from unenrolled or revoked
/// keys, replayed, skewed or tampered with; a dossier's UUID reused for other content; a
/// chunk at the wrong offset. Each answer carries the protocol's error code.
@Suite(.serialized) struct CentralAuthenticationTests {
    struct Signed {
        let port: Int
        let key: SigningKey
        let keyID: String

        /// Sends a request signed with `key`, `created` seconds off the real clock; the
        /// status, the JSON answer and the headers sent (to replay them).
        func send(
            _ method: String, _ path: String, query: String? = nil, body: Data, contentType: String = "application/json", skew: TimeInterval = 0,
            headers replayed: [String: String]? = nil, tamper: ((inout URLRequest) -> Void)? = nil
        ) async throws -> (Int, [String: Any], [String: String]) {
            let authority = "127.0.0.1:\(port)"
            var fields = replayed ?? [:]
            if replayed == nil {
                let signed = SignedRequest(method: method, authority: authority, path: path, query: query, fields: ["content-type": contentType])
                fields = try MessageSigner(key: key, keyID: keyID).fields(for: signed, body: body, created: Date().addingTimeInterval(skew))
            }
            var request = URLRequest(url: URL(string: "http://\(authority)\(path)\(query.map { "?" + $0 } ?? "")")!, timeoutInterval: 10)
            request.httpMethod = method
            request.httpBody = body
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
            for (name, value) in fields { request.setValue(value, forHTTPHeaderField: name) }
            tamper?(&request)
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:], fields)
        }

        func heartbeat(sequence: Int64 = 1) throws -> Data {
            try CentralCoding.encoder().encode(
                Heartbeat(
                    sequence: sequence, kioskTime: Date(), uptimeSeconds: 1, softwareVersion: "test", catalogVersion: "c", goingOffline: false,
                    maintenance: false, devices: [DeviceReport(id: "printer", kind: "printer", state: "online", media: "paper_out")],
                    sessionsActive: 0, sessionsToday: 0, outbox: OutboxReport(depth: 0, oldestAgeSeconds: nil, quarantined: 0, lastError: nil),
                    freeDiskBytes: 10_000_000_000, lastCommandId: 0, commandResults: []))
        }

        func enrol(token: String) async throws -> (Int, [String: Any]) {
            let body = try CentralCoding.encoder().encode(
                EnrolmentRequest(token: token, kioskId: keyID, publicKey: key.publicKey, softwareVersion: "test"))
            let (status, answer, _) = try await send("POST", CentralPaths.enrolments, body: body)
            return (status, answer)
        }
    }

    @Test func theCentralRefusesWhatIsNotAnEnrolledKiosksFreshSignature() async throws {
        let bed = try LinkTestbed()
        try await bed.startCentral()
        do {
            let kiosk = Signed(port: bed.centralPort, key: try SigningKey.generate(), keyID: "KIOSK-A")
            let body = try kiosk.heartbeat()

            // Unenrolled key: refused, and said so.
            var (status, answer, _) = try await kiosk.send("POST", CentralPaths.heartbeats, body: body)
            #expect(status == 401 && answer["code"] as? String == "kiosk.unknown", "\(answer)")

            // An enrolment signed by another key than the one it registers: refused.
            let token = try await bed.token(kiosk: "KIOSK-A")
            let impostor = Signed(port: bed.centralPort, key: try SigningKey.generate(), keyID: "KIOSK-A")
            let wrongProof = try CentralCoding.encoder().encode(
                EnrolmentRequest(token: token, kioskId: "KIOSK-A", publicKey: kiosk.key.publicKey, softwareVersion: "test"))
            (status, answer, _) = try await impostor.send("POST", CentralPaths.enrolments, body: wrongProof)
            #expect(status == 401 && answer["code"] as? String == "signature.invalid", "\(answer)")
            // A token for another kiosk: refused.
            let other = Signed(port: bed.centralPort, key: try SigningKey.generate(), keyID: "KIOSK-B")
            let (mismatch, mismatchAnswer) = try await other.enrol(token: token)
            #expect(mismatch == 403 && mismatchAnswer["code"] as? String == "enrolment.kiosk_mismatch")
            let (enrolled, enrolment) = try await kiosk.enrol(token: token)
            #expect(enrolled == 200 && enrolment["receivingUnit"] as? String == LinkTestbed.unit, "\(enrolment)")

            // Enrolled: a signed heartbeat goes through, and the fleet raises the printer's alert.
            let sent: [String: String]
            (status, answer, sent) = try await kiosk.send("POST", CentralPaths.heartbeats, body: body)
            #expect(status == 200 && answer["heartbeatSeconds"] as? Int == 5, "\(answer)")
            let fleet = try #require((try await bed.fleet()["kiosks"] as? [[String: Any]])?.first)
            #expect((fleet["alerts"] as? [String])?.contains("paper_out:printer") == true, "\(fleet)")

            // The same request again (same nonce): a replay.
            (status, answer, _) = try await kiosk.send("POST", CentralPaths.heartbeats, body: body, headers: sent)
            #expect(status == 401 && answer["code"] as? String == "signature.replayed", "\(answer)")
            // Unsigned.
            (status, answer, _) = try await kiosk.send("POST", CentralPaths.heartbeats, body: body, headers: ["x-unsigned": "1"])
            #expect(status == 401 && answer["code"] as? String == "signature.missing", "\(answer)")
            // Ten minutes off: refused with the central's time, for the kiosk to correct.
            (status, answer, _) = try await kiosk.send("POST", CentralPaths.heartbeats, body: try kiosk.heartbeat(sequence: 2), skew: -600)
            #expect(status == 401 && answer["code"] as? String == "signature.skewed" && answer["serverTime"] != nil, "\(answer)")
            // The body changed after signing.
            (status, answer, _) = try await kiosk.send("POST", CentralPaths.heartbeats, body: body) {
                $0.httpBody = try? kiosk.heartbeat(sequence: 9)
            }
            #expect(status == 401 && answer["code"] as? String == "signature.digest_mismatch", "\(answer)")
            // Signed for another path.
            (status, answer, _) = try await kiosk.send("POST", CentralPaths.heartbeats, body: body) {
                $0.url = URL(string: "http://127.0.0.1:\(bed.centralPort)/v1/heartbeats?x=1")
            }
            #expect(status == 401 && answer["code"] as? String == "signature.invalid", "\(answer)")

            // Revoked: refused until it enrols again.
            _ = try await bed.centralTool(["revoke", "KIOSK-A"])
            (status, answer, _) = try await kiosk.send("POST", CentralPaths.heartbeats, body: try kiosk.heartbeat(sequence: 3))
            #expect(status == 403 && answer["code"] as? String == "kiosk.revoked", "\(answer)")
        } catch {
            Issue.record("\(error)\ncentral:\n\(bed.central?.logTail() ?? "")")
        }
        await bed.cleanUp()
    }

    @Test func intakeIsIdempotentByUUIDAndRefusesOtherContentAndWrongOffsets() async throws {
        let bed = try LinkTestbed()
        try await bed.startCentral()
        do {
            let kiosk = Signed(port: bed.centralPort, key: try SigningKey.generate(), keyID: "KIOSK-C")
            let (enrolled, _) = try await kiosk.enrol(token: try await bed.token(kiosk: nil))
            try #require(enrolled == 200)
            let pdf = Data((0..<3000).map { UInt8($0 % 251) })
            let id = UUID()
            func manifest(answers: String) throws -> Data {
                let dossier = Dossier(
                    clientUUID: id, sessionId: UUID(), kioskId: "KIOSK-C", procedureCode: "T-1", procedureVersion: "1",
                    procedureEffectiveDate: CivilDate(year: 2025, month: 7, day: 1)!, procedureName: LocalizedText(vi: "Thử", en: "Test"),
                    sealedAt: Date(timeIntervalSince1970: 1_795_399_200), receivedOn: CivilDate(year: 2026, month: 11, day: 23)!,
                    dueOn: CivilDate(year: 2026, month: 11, day: 26)!, provisionalReference: "KIOSK-C-1",
                    identity: Identity(
                        assurance: .typed, idNumber: "001185012345", fullName: "Thử", dateOfBirth: CivilDate(year: 1985, month: 9, day: 5)!),
                    answers: ["note": .text(answers)], documents: [], delivery: DeliverySelection(option: .counter), fees: [])
                return try CentralCoding.encoder().encode(
                    DossierManifest(
                        clientUUID: id, kioskId: "KIOSK-C", catalogVersion: "c", dossier: dossier,
                        files: [ManifestFile(name: "original.pdf", sha256: SHA256Hasher.hex(pdf), bytes: pdf.count)]))
            }
            let first = try manifest(answers: "a")
            var (status, answer, _) = try await kiosk.send("PUT", CentralPaths.dossier(id), body: first)
            #expect(status == 200 && (answer["files"] as? [[String: Any]])?.first?["received"] as? Int == 0, "\(answer)")
            // The same manifest again: the same dossier, resumed.
            (status, answer, _) = try await kiosk.send("PUT", CentralPaths.dossier(id), body: first)
            #expect(status == 200 && answer["manifestSHA256"] as? String == SHA256Hasher.hex(first))
            // Other content under the same UUID: a conflict.
            (status, answer, _) = try await kiosk.send("PUT", CentralPaths.dossier(id), body: try manifest(answers: "b"))
            #expect(status == 409 && answer["code"] as? String == "dossier.conflict", "\(answer)")

            let file = CentralPaths.file(id, "original.pdf")
            (status, answer, _) = try await kiosk.send(
                "PUT", file, query: "offset=0", body: pdf.prefix(1000), contentType: "application/octet-stream")
            #expect(status == 200 && answer["received"] as? Int == 1000, "\(answer)")
            // Where the file does not stand: refused with where it stands.
            (status, answer, _) = try await kiosk.send(
                "PUT", file, query: "offset=0", body: pdf.prefix(1000), contentType: "application/octet-stream")
            #expect(status == 409 && answer["code"] as? String == "chunk.offset_mismatch", "\(answer)")
            #expect(((answer["state"] as? [String: Any])?["files"] as? [[String: Any]])?.first?["received"] as? Int == 1000)
            // Commit before the file is whole: incomplete.
            (status, answer, _) = try await kiosk.send("POST", CentralPaths.commit(id), body: Data("{}".utf8))
            #expect(status == 409 && answer["code"] as? String == "dossier.incomplete", "\(answer)")
            // Past the file's size: refused.
            (status, answer, _) = try await kiosk.send("PUT", file, query: "offset=1000", body: pdf + pdf, contentType: "application/octet-stream")
            #expect(status == 422 && answer["code"] as? String == "chunk.too_long", "\(answer)")
            (status, answer, _) = try await kiosk.send(
                "PUT", file, query: "offset=1000", body: pdf.suffix(2000), contentType: "application/octet-stream")
            #expect(status == 200 && answer["received"] as? Int == 3000)
            (status, answer, _) = try await kiosk.send("POST", CentralPaths.commit(id), body: Data("{}".utf8))
            let code = try #require(answer["centralCode"] as? String, "\(answer)")
            #expect(
                status == 200 && answer["clientUUID"] as? String == id.uuidString && answer["manifestSHA256"] as? String == SHA256Hasher.hex(first))
            // A commit sent again (its answer lost): the same code.
            (status, answer, _) = try await kiosk.send("POST", CentralPaths.commit(id), body: Data("{}".utf8))
            #expect(status == 200 && answer["centralCode"] as? String == code)
            // Another kiosk cannot read or touch this dossier.
            let stranger = Signed(port: bed.centralPort, key: try SigningKey.generate(), keyID: "KIOSK-D")
            _ = try await stranger.enrol(token: try await bed.token(kiosk: nil))
            (status, answer, _) = try await stranger.send("POST", CentralPaths.commit(id), body: Data("{}".utf8))
            #expect(status == 404, "\(answer)")
            #expect(try await bed.receivedDossiers().count == 1)
        } catch {
            Issue.record("\(error)\ncentral:\n\(bed.central?.logTail() ?? "")")
        }
        await bed.cleanUp()
    }
}
