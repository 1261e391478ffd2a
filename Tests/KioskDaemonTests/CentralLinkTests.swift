import CentralProtocol
import Foundation
import KioskStore
import KioskTestSupport
import Testing

/// The central link end to end: a real kioskd and a real kiosk-central on loopback.
@Suite(.serialized) struct CentralLinkTests {
    @Test func enrolmentThenADossierDeliveredOnceWithIdenticalFilesAndItsCode() async throws {
        let bed = try LinkTestbed()
        try await bed.startCentral()
        try await bed.startKiosk()
        do {
            // Before enrolment: the link says so, and the key exists already, private.
            let (_, before) = try await bed.technician.call("GET", "link")
            #expect(before["enrolled"] as? Bool == false)
            var info = stat()
            let keyPath = bed.kiosk.directory.appendingPathComponent("state/kiosk.key").path
            #expect(stat(keyPath, &info) == 0 && info.st_mode & 0o777 == 0o600, "kiosk.key is 0600")

            // A plain http:// central elsewhere than loopback is refused before anything is sent.
            let (refusedURL, refusal) = try await bed.technician.call("POST", "link/enrolment", #"{"central":"http://192.0.2.1:9","token":"x"}"#)
            #expect(refusedURL == 400 && refusal["code"] as? String == "link.invalid_url")

            let token = try await bed.token()
            let (enrolled, link) = try await bed.technician.call("POST", "link/enrolment", #"{"central":"\#(bed.centralURL)","token":"\#(token)"}"#)
            #expect(enrolled == 200 && link["enrolled"] as? Bool == true && link["receivingUnit"] as? String == LinkTestbed.unit, "\(link)")
            // The token is burnt.
            let (again, reuse) = try await bed.technician.call("POST", "link/enrolment", #"{"central":"\#(bed.centralURL)","token":"\#(token)"}"#)
            #expect(again == 502 && (reuse["detail"] as? String)?.contains("enrolment.token_used") == true, "\(reuse)")

            let dossier = try await bed.fileDossier()
            let codes = try await bed.waitDelivered([dossier])
            let code = try #require(codes[dossier])
            #expect(DossierCode.isValid(code) && code.hasPrefix(LinkTestbed.unit + "-"), "\(code)")

            // The central holds it once, with the same bytes the kiosk sealed.
            let received = try await bed.receivedDossiers()
            #expect(received.count == 1 && received.first?["centralCode"] as? String == code)
            let store = try KioskStore(path: bed.storePath)
            let files = try await store.read { t in try t.documentFiles(dossier).map { try t.documentPDF(dossier, document: $0.documentId)! } }
            let centralFiles = (received.first?["files"] as? [[String: Any]]) ?? []
            #expect(files.count == 1 && centralFiles.count == 1)
            for (pdf, file) in zip(files, centralFiles) {
                let sha = try #require(file["sha256"] as? String)
                #expect(SHA256Hasher.hex(pdf) == sha)
                let stored = try Data(contentsOf: bed.centralState.appendingPathComponent("files/sha256/\(sha.prefix(2))/\(sha)"))
                #expect(SHA256Hasher.hex(stored) == sha && stored == pdf, "byte-identical at both ends")
            }
            #expect(try await store.read { try $0.centralCode(dossier: dossier) } == code, "the code is kept with the dossier")

            // The fleet sees the kiosk online; a clean shutdown says it is going offline.
            let fleet = try await bed.fleet()
            let kiosk = try #require((fleet["kiosks"] as? [[String: Any]])?.first)
            #expect(kiosk["online"] as? Bool == true && (kiosk["lastSequence"] as? Int ?? 0) >= 1, "\(kiosk)")
            #expect(kiosk["outboxDepth"] as? Int != nil)
            let ended = await bed.kioskd!.stop()
            #expect(ended.status == 0)
            let after = try #require((try await bed.fleet()["kiosks"] as? [[String: Any]])?.first)
            #expect(after["online"] as? Bool == false && after["wentOffline"] as? Bool == true, "\(after)")
        } catch {
            Issue.record("\(error)\nkioskd:\n\(bed.kioskd?.logTail() ?? "")\ncentral:\n\(bed.central?.logTail() ?? "")")
        }
        await bed.cleanUp()
    }
}
