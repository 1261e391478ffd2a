public import CentralProtocol
public import Foundation
public import Hummingbird
public import Logging

/// Where a central keeps its state: the database, the files, its command-signing key and the
/// admin token, all in one directory.
public struct CentralState: Sendable {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    public var databasePath: String { directory.appendingPathComponent("central.sqlite").path }
    public var keyPath: String { directory.appendingPathComponent("central.key").path }
    public var adminTokenPath: String { directory.appendingPathComponent("admin.token").path }
    public var filesDirectory: URL { directory.appendingPathComponent("files") }

    public func store() throws -> CentralStore { try CentralStore(path: databasePath) }

    /// The admin token, made on first use (mode 0600).
    public func adminToken() throws -> String {
        if let data = FileManager.default.contents(atPath: adminTokenPath), let text = String(data: data, encoding: .utf8) {
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let token = MessageSigner.nonce() + MessageSigner.nonce()
        let fd = open(adminTokenPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw KeyError("cannot create \(adminTokenPath): \(String(cString: strerror(errno)))") }
        _ = (token + "\n").withCString { write(fd, $0, strlen($0)) }
        close(fd)
        return token
    }
}

/// Builds the reference central server: kiosks' enrolment, heartbeats and dossier intake,
/// and the fleet read-out.
public func buildCentral(
    state: CentralState, host: String, port: Int, heartbeatSeconds: Int, logger: Logger
) throws -> some ApplicationProtocol {
    let store = try state.store()
    let vault = try FileVault(root: state.filesDirectory)
    let key = try SigningKey.loadOrCreate(path: state.keyPath)
    let adminToken = try state.adminToken()
    let authenticator = RequestAuthenticator(store: store)

    let router = Router(context: CentralContext.self)
    router.add(middleware: CentralErrorMiddleware())
    KioskLinkController(store: store, authenticator: authenticator, centralKey: key, heartbeatSeconds: heartbeatSeconds).addRoutes(to: router)
    IntakeController(store: store, vault: vault, authenticator: authenticator).addRoutes(to: router)
    FleetController(store: store, adminToken: adminToken, heartbeatSeconds: heartbeatSeconds).addRoutes(to: router)
    return Application(
        router: router, configuration: .init(address: .hostname(host, port: port), serverName: "kiosk-central"),
        onServerRunning: { channel in
            logger.notice("kiosk-central ready", metadata: ["central.listen": "\(channel.localAddress?.description ?? "?")"])
        },
        logger: logger)
}
