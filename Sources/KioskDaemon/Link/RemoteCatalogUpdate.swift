import CentralProtocol
import Flows
import Foundation
import Logging

/// The `catalog.update` command: fetches the bundle the command names from the central,
/// checks and installs it (`CatalogInstaller`), and swaps the catalog in use at once. New
/// sessions get the new procedures; a session under way seals under the version it chose.
struct RemoteCatalogUpdate: Sendable {
    let catalog: LiveCatalog
    let installer: CatalogInstaller
    let logger: Logger

    func run(_ command: RemoteCommand, client: CentralClient, centralKey: VerifyingKey) async -> (CommandResult.Outcome, String) {
        guard let sha256 = command.arguments["bundle"], CatalogInstaller.isDigest(sha256) else {
            return (.failed, "the argument bundle (the SHA-256 of a published bundle, 64 lowercase hex digits) is missing or malformed")
        }
        let body: Data
        do {
            body = try await client.send("GET", CentralPaths.catalogBundle(sha256), body: Data(), timeout: 60).body
        } catch {
            return (.failed, "cannot fetch the bundle: \(error)")
        }
        guard body.count <= CatalogBundle.maxBytes * 2,
            let signed = try? CentralCoding.decoder().decode(SignedCatalogBundle.self, from: body)
        else { return (.failed, "the central's answer is not a signed catalog bundle") }
        let previous = catalog.current.fingerprint
        do {
            let (loaded, directory, label) = try installer.install(signed, expected: sha256, centralKey: centralKey)
            catalog.replace(with: loaded, from: directory)
            logger.notice(
                "catalog updated",
                metadata: [
                    "kiosk.catalog": "\(label)", "kiosk.procedures": "\(loaded.procedures.count)", "kiosk.catalog_version": "\(loaded.fingerprint)",
                ])
            return (
                .done,
                "catalog \(label) in use: \(loaded.procedures.count) procedures, version \(loaded.fingerprint) (was \(previous)); sessions under way keep theirs"
            )
        } catch {
            logger.warning("catalog update refused", metadata: ["kiosk.reason": "\(error)"])
            return (.failed, "catalog unchanged (\(previous)): \(error)")
        }
    }
}
