import CentralProtocol
import Flows
import Foundation
import Hummingbird
import Logging

/// Dossier intake: a manifest, each file in chunks (resumable at what the central says it
/// holds), then a commit answered with the acknowledgement and the dossier code.
struct IntakeController: Sendable {
    let store: CentralStore
    let vault: FileVault
    let authenticator: RequestAuthenticator

    func addRoutes(to router: Router<CentralContext>) {
        router.put("v1/dossiers/:id", use: manifest)
        router.put("v1/dossiers/:id/files/:name", use: chunk)
        router.post("v1/dossiers/:id/commit", use: commit)
    }

    static func dossierId(_ context: CentralContext) throws -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else {
            throw CentralError.badRequest("the path's dossier id is not a UUID")
        }
        return id
    }

    @Sendable func manifest(_ request: Request, context: CentralContext) async throws -> Response {
        let (kioskId, body) = try await authenticator.authenticate(request, context: context, limit: DossierManifest.maxBytes)
        let id = try Self.dossierId(context)
        let manifest = try CentralCoding.decoder().decode(DossierManifest.self, from: body)
        try Self.check(manifest, id: id, kioskId: kioskId)
        let sha = SHA256Hasher.hex(body)
        try await store.intake(manifest: manifest, bytes: body, sha256: sha, kioskId: kioskId, now: Date())
        return try context.respond(try await state(id, kioskId: kioskId))
    }

    static func check(_ manifest: DossierManifest, id: UUID, kioskId: String) throws {
        guard manifest.clientUUID == id, manifest.dossier.clientUUID == id else {
            throw CentralError.badRequest("clientUUID must be the path's dossier id")
        }
        guard manifest.kioskId == kioskId else { throw CentralError.badRequest("kioskId must be the signing kiosk's id") }
        guard manifest.files.count <= CentralLimits.filesPerDossier else {
            throw CentralError.badRequest("at most \(CentralLimits.filesPerDossier) files")
        }
        guard Set(manifest.files.map(\.name)).count == manifest.files.count else { throw CentralError.badRequest("file names repeat") }
        for file in manifest.files {
            guard ManifestFile.isValidName(file.name) else {
                throw CentralError.badRequest("files: \(file.name.prefix(40)) is not a valid name ([a-z0-9_.-])")
            }
            guard file.sha256.count == 64, file.sha256.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                throw CentralError.badRequest("files: \(file.name) needs a lowercase hex SHA-256")
            }
            guard file.bytes > 0, file.bytes <= CentralLimits.fileBytes else {
                throw CentralError.badRequest("files: \(file.name) must be 1 to \(CentralLimits.fileBytes) bytes")
            }
        }
    }

    func state(_ id: UUID, kioskId: String) async throws -> IntakeState {
        guard let stored = try await store.dossier(id, kioskId: kioskId) else {
            throw CentralError(404, "dossier.unknown", vi: "Chưa nhận hồ sơ này.", en: "No such dossier from this kiosk: send its manifest first.")
        }
        return IntakeState(
            clientUUID: id, manifestSHA256: stored.manifestSHA256,
            files: stored.files.map { FileProgress(name: $0.file.name, received: $0.complete ? $0.file.bytes : vault.received(id, $0.file.name)) },
            acknowledgement: stored.acknowledgement)
    }

    /// A file's bytes from `offset`, written as they arrive: a connection cut mid-chunk
    /// leaves what arrived, and the kiosk resumes after it. The chunk's digest is checked at
    /// its end (a wrong one drops the chunk), the whole file's hash when it is complete.
    @Sendable func chunk(_ request: Request, context: CentralContext) async throws -> Response {
        let (kioskId, digest) = try await authenticator.authenticateHead(request)
        let id = try Self.dossierId(context)
        let name = context.parameters.get("name") ?? ""
        guard let offsetText = request.uri.queryParameters.get("offset"), let offset = Int(offsetText), offset >= 0 else {
            throw CentralError.badRequest("offset: the query names the chunk's first byte (?offset=N)")
        }
        guard let stored = try await store.dossier(id, kioskId: kioskId) else {
            throw CentralError(404, "dossier.unknown", vi: "Chưa nhận hồ sơ này.", en: "No such dossier from this kiosk: send its manifest first.")
        }
        guard let entry = stored.files.first(where: { $0.file.name == name }) else {
            throw CentralError(404, "file.unknown", vi: "Hồ sơ không có tệp này.", en: "The dossier's manifest names no such file.")
        }
        if entry.complete { return try context.respond(FileProgress(name: name, received: entry.file.bytes)) }
        let (opened, held) = try vault.appender(id, name, at: offset)
        guard let appender = opened else {
            throw CentralError(
                409, "chunk.offset_mismatch", vi: "Phần tệp không đúng vị trí.", en: "The chunk does not start where the file stands.",
                detail: "the central holds \(held) bytes of \(name)", state: try await state(id, kioskId: kioskId))
        }
        var hasher = SHA256Hasher()
        var count = 0
        for try await buffer in request.body {
            count += buffer.readableBytes
            guard offset + count <= entry.file.bytes, count <= CentralLimits.chunkBytes else {
                appender.discard()
                throw CentralError(
                    422, "chunk.too_long", vi: "Phần tệp vượt kích thước.", en: "The chunk runs past the file's size in the manifest.")
            }
            hasher.update(buffer.readableBytesView)
            try buffer.withUnsafeReadableBytes { try appender.write($0) }
        }
        guard hasher.finish() == digest else {
            appender.discard()
            throw CentralError.unauthenticated(.digestMismatch, serverTime: Date())
        }
        try appender.sync()
        let received = appender.end
        if received == entry.file.bytes {
            guard try vault.seal(id, name, sha256: entry.file.sha256) else {
                throw CentralError(
                    422, "file.hash_mismatch", vi: "Tệp nhận được bị sai lệch.", en: "The whole file's SHA-256 is not the manifest's: send it again.",
                    detail: name, state: try await state(id, kioskId: kioskId))
            }
            try await store.markComplete(id, file: name)
        }
        return try context.respond(FileProgress(name: name, received: received))
    }

    @Sendable func commit(_ request: Request, context: CentralContext) async throws -> Response {
        let (kioskId, _) = try await authenticator.authenticate(request, context: context, limit: 4096)
        let id = try Self.dossierId(context)
        guard let stored = try await store.dossier(id, kioskId: kioskId) else {
            throw CentralError(404, "dossier.unknown", vi: "Chưa nhận hồ sơ này.", en: "No such dossier from this kiosk: send its manifest first.")
        }
        if let acknowledgement = stored.acknowledgement { return try context.respond(acknowledgement) }
        // A file whole on disk whose row missed the update (a crash between the two) counts.
        for entry in stored.files where !entry.complete && vault.isStored(sha256: entry.file.sha256) && vault.received(id, entry.file.name) == 0 {
            try await store.markComplete(id, file: entry.file.name)
        }
        let current = try await state(id, kioskId: kioskId)
        guard zip(current.files, stored.files).allSatisfy({ $0.received == $1.file.bytes && vault.isStored(sha256: $1.file.sha256) }) else {
            throw CentralError(
                409, "dossier.incomplete", vi: "Hồ sơ chưa nhận đủ tệp.", en: "Some of the dossier's files have not arrived whole.", state: current)
        }
        guard let kiosk = try await store.kiosk(kioskId) else { throw CentralError.notFound }
        let acknowledgement = try await store.commit(id, unit: kiosk.unit, now: Date())
        context.logger.info("dossier received", metadata: ["central.code": "\(acknowledgement.centralCode)", "central.kiosk": "\(kioskId)"])
        return try context.respond(acknowledgement)
    }
}
