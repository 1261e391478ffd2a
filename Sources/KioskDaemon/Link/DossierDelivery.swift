import CentralProtocol
import Flows
import Foundation
import KioskStore

/// One dossier's way to the central: its manifest (made once and kept, so that every retry
/// sends the same bytes), each file from where the central says it stands, in chunks, and the
/// commit, whose answer counts only if it echoes the dossier's UUID and manifest hash.
struct DossierDelivery {
    let store: KioskStore
    let client: CentralClient
    let kioskId: String
    let catalogVersion: String
    var chunkBytes = 1 << 20
    var timeout: TimeInterval = 30

    /// What became of the attempt.
    enum Outcome {
        case delivered(Acknowledgement)
        /// Sending again will not help: a person must look (409 conflict, a permanent 4xx).
        case quarantine(String)
        case retry(LinkFailure)
    }

    func deliver(_ row: OutboxRow) async -> Outcome {
        do {
            let (manifest, sha) = try await manifest(for: row)
            var state = try await client.call(IntakeState.self, "PUT", CentralPaths.dossier(row.dossier), body: manifest, timeout: timeout)
            guard state.clientUUID == row.dossier, state.manifestSHA256 == sha else {
                return .retry(.unreadable(status: 200, "the intake state is for another dossier or manifest"))
            }
            for _ in 0..<3 {
                if let acknowledgement = state.acknowledgement {
                    guard acknowledgement.acknowledges(row.dossier, manifestSHA256: sha) else {
                        return .retry(.unreadable(status: 200, "not an acknowledgement of this dossier"))
                    }
                    return .delivered(acknowledgement)
                }
                try await sendFiles(row.dossier, manifest: manifest, state: state)
                let acknowledgement: Acknowledgement
                do throws(LinkFailure) {
                    acknowledgement = try await client.call(
                        Acknowledgement.self, "POST", CentralPaths.commit(row.dossier), body: Data("{}".utf8), timeout: timeout)
                } catch {
                    guard let current = error.intakeState(if: "dossier.incomplete") else { throw error }
                    state = current
                    continue
                }
                guard acknowledgement.acknowledges(row.dossier, manifestSHA256: sha) else {
                    return .retry(.unreadable(status: 200, "the commit's answer does not echo this dossier's UUID and manifest hash"))
                }
                return .delivered(acknowledgement)
            }
            return .retry(.unreadable(status: 409, "the central still misses files after three rounds"))
        } catch let failure as LinkFailure {
            if failure.code == "dossier.conflict" { return .quarantine("the central holds other content under this dossier's UUID (409)") }
            if failure.isPermanent { return .quarantine(failure.description) }
            return .retry(failure)
        } catch {
            return .quarantine("the dossier cannot be read from the store: \(error)")
        }
    }

    /// The manifest kept for the row, or a new one (kept before it is first sent).
    func manifest(for row: OutboxRow) async throws -> (Data, String) {
        if let manifest = row.manifest, let sha = row.manifestSHA256 { return (manifest, sha) }
        let id = row.dossier
        let (dossier, files) = try await store.read { t -> (Dossier?, [ManifestFile]) in
            let documents = try t.documentFiles(id).map(\.documentId)
            let files = try zip(documents, Self.fileNames(documents)).map { document, name -> ManifestFile in
                let pdf = try t.documentPDF(id, document: document) ?? Data()
                return ManifestFile(name: name, sha256: SHA256Hasher.hex(pdf), bytes: pdf.count)
            }
            return (try t.dossier(id), files)
        }
        guard let dossier else { throw DeliveryError("the sealed dossier \(id) is missing from the store") }
        let manifest = try CentralCoding.encoder().encode(
            DossierManifest(clientUUID: id, kioskId: kioskId, catalogVersion: catalogVersion, dossier: dossier, files: files))
        let sha = SHA256Hasher.hex(manifest)
        try await store.transaction { try $0.setManifest(manifest, sha256: sha, dossier: id) }
        // Another attempt may have kept one first: the kept one is the one sent.
        let kept = try await store.read { try $0.outboxRow(dossier: id) }
        return (kept?.manifest ?? manifest, kept?.manifestSHA256 ?? sha)
    }

    /// The documents' ids as file names of the protocol (`[a-z0-9_.-]`, `.pdf`), unique.
    static func fileNames(_ documentIds: [String]) -> [String] {
        var names: [String] = []
        for id in documentIds {
            let cleaned = id.lowercased().unicodeScalars.map {
                ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "_" || $0 == "-" ? Character($0) : "-"
            }
            var name = String(String(cleaned).trimmingCharacters(in: CharacterSet(charactersIn: "-")).prefix(80)).nonEmpty("document") + ".pdf"
            while names.contains(name) { name = "x-" + name }
            names.append(name)
        }
        return names
    }

    /// Sends what the central lacks of each file, from where it stands. A connection that
    /// breaks mid-chunk is followed by asking the central where the file stands (sending the
    /// manifest again) and going on from there, as long as each try gets further.
    func sendFiles(_ id: UUID, manifest: Data, state: IntakeState) async throws {
        guard let files = try? CentralCoding.decoder().decode(DossierManifest.self, from: manifest).files else {
            throw DeliveryError("the kept manifest cannot be read")
        }
        let documents = try await store.read { try $0.documentFiles(id).map(\.documentId) }
        guard Self.fileNames(documents) == files.map(\.name) else { throw DeliveryError("the manifest's files do not match the store's documents") }
        for (document, file) in zip(documents, files) {
            var received = state.files.first { $0.name == file.name }?.received ?? 0
            guard received < file.bytes else { continue }
            guard let pdf = try await store.read({ try $0.documentPDF(id, document: document) }), SHA256Hasher.hex(pdf) == file.sha256 else {
                throw DeliveryError("the document \(document)'s PDF no longer matches its manifest")
            }
            var restarts = 0
            var fruitless = 0
            while received < file.bytes {
                let end = min(received + chunkBytes, file.bytes)
                let progress: FileProgress
                do throws(LinkFailure) {
                    progress = try await client.call(
                        FileProgress.self, "PUT", CentralPaths.file(id, file.name), query: "offset=\(received)",
                        body: pdf.subdata(in: received..<end),
                        contentType: "application/octet-stream", timeout: timeout)
                } catch {
                    if case .unreachable = error, fruitless < 3 {
                        fruitless += 1
                        let current = try await client.call(IntakeState.self, "PUT", CentralPaths.dossier(id), body: manifest, timeout: timeout)
                        let now = current.files.first { $0.name == file.name }?.received ?? 0
                        if now > received { fruitless = 0 }
                        received = now
                        continue
                    }
                    // The central holds another length than thought (a chunk whose answer was
                    // lost), or dropped the file for a wrong hash (once): resume where it stands.
                    if let current = error.intakeState(if: "chunk.offset_mismatch")
                        ?? (restarts < 1 ? error.intakeState(if: "file.hash_mismatch") : nil)
                    {
                        if error.code == "file.hash_mismatch" { restarts += 1 }
                        received = current.files.first { $0.name == file.name }?.received ?? 0
                        continue
                    }
                    throw error
                }
                guard progress.name == file.name, progress.received > received, progress.received <= file.bytes else {
                    throw LinkFailure.unreadable(status: 200, "the chunk's answer does not say the file grew")
                }
                received = progress.received
            }
        }
    }
}

struct DeliveryError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension String {
    fileprivate func nonEmpty(_ fallback: String) -> String { isEmpty ? fallback : self }
}
