import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// The technician's channel: the API's routes served on a Unix domain socket
/// (`technician.socket`), mode 0660, group `technician.group`. Requests arriving here pass
/// `TechnicianGate`; the same routes on the TCP port are refused.
///
/// The socket is bound under kioskd's umask (0077 under systemd: `UMask=` in the unit), so it
/// is never open to others between bind and chmod; then it is opened to the group.
struct TechnicianSocket: Service {
    let responder: RouterResponder<KioskRequestContext>
    let settings: KioskConfig.Technician
    let logger: Logger

    func run() async throws {
        let path = settings.socket.path
        do {
            try FileManager.default.createDirectory(at: settings.socket.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            logger.critical(
                "technician socket: its directory cannot be made (technician.socket in kiosk.conf)",
                metadata: ["kiosk.socket": "\(path)", "kiosk.error": "\(error.localizedDescription)"])
            throw error
        }
        let app = Application(
            responder: responder,
            configuration: .init(address: .unixDomainSocket(path: path), serverName: "kioskd"),
            onServerRunning: { _ in
                do {
                    try open(path)
                    logger.notice(
                        "technician socket ready",
                        metadata: ["kiosk.socket": "\(path)", "kiosk.group": "\(settings.group.isEmpty ? "(kioskd's)" : settings.group)"])
                } catch {
                    logger.critical("technician socket cannot be opened to its group", metadata: ["kiosk.error": "\(error)"])
                }
            },
            logger: logger)
        try await app.run()
        try? FileManager.default.removeItem(atPath: path)
    }

    /// chmod 0660 and, when configured, chgrp to the technicians' group.
    private func open(_ path: String) throws {
        if !settings.group.isEmpty {
            guard let group = getgrnam(settings.group) else { throw POSIXError(.EINVAL) }
            guard chown(path, uid_t.max, group.pointee.gr_gid) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EPERM) }
        }
        guard chmod(path, 0o660) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EPERM) }
    }
}
