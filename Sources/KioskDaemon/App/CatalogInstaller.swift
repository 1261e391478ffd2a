import CentralProtocol
import Flows
import Foundation

/// Catalog updates from the central, on disk beside the store: each bundle in
/// `catalog-updates/<sha256>/`, and `catalog-updates/current` naming the one in use (replaced
/// by a rename, so a crash leaves the old catalog or the new one, never half of each). The
/// configured catalog directory is never written; with no update installed (or `current`
/// removed by a technician) kioskd reads it as before.
struct CatalogInstaller: Sendable {
    let root: URL

    init(storeDirectory: URL) {
        root = storeDirectory.appendingPathComponent("catalog-updates")
    }

    var pointer: URL { root.appendingPathComponent("current") }

    /// The directory to load the catalog from: the installed update, else `configured`.
    func activeDirectory(configured: URL) -> URL {
        guard let name = (try? String(contentsOf: pointer, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines),
            Self.isDigest(name)
        else { return configured }
        let directory = root.appendingPathComponent(name)
        return FileManager.default.fileExists(atPath: directory.path) ? directory : configured
    }

    static func isDigest(_ text: String) -> Bool { text.count == 64 && text.allSatisfy { $0.isHexDigit && !$0.isUppercase } }

    struct Refusal: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Checks a bundle — signed by `centralKey`, its payload's SHA-256 the one the (signed)
    /// command named, plain file names, every file valid as the catalog loader judges a local
    /// file — writes it, and makes it the one in use. Returns the loaded catalog and its
    /// directory; on any refusal, nothing in use changes.
    func install(_ signed: SignedCatalogBundle, expected sha256: String, centralKey: VerifyingKey) throws(Refusal) -> (Catalog, URL, label: String) {
        guard signed.sha256 == sha256 else { throw Refusal("the bundle's SHA-256 is \(signed.sha256), not the \(sha256) the command named") }
        guard let bundle = signed.verified(with: centralKey) else {
            throw Refusal("the bundle's signature does not verify with the central key pinned at enrolment")
        }
        guard !bundle.files.isEmpty else { throw Refusal("the bundle has no procedure file") }
        var names = Set<String>()
        for file in bundle.files {
            guard CatalogBundle.isAcceptableName(file.name) else { throw Refusal("\(file.name.prefix(100)): not a plain .yaml file name") }
            guard names.insert(file.name).inserted else { throw Refusal("\(file.name): twice in the bundle") }
        }
        let directory = root.appendingPathComponent(sha256)
        let staging = root.appendingPathComponent(sha256 + ".partial")
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: root, withIntermediateDirectories: true)
            try? manager.removeItem(at: staging)
            try manager.createDirectory(at: staging, withIntermediateDirectories: false)
            for file in bundle.files {
                try Data(file.content.utf8).write(to: staging.appendingPathComponent(file.name))
            }
        } catch {
            try? manager.removeItem(at: staging)
            throw Refusal("cannot write the bundle: \(error.localizedDescription)")
        }
        let catalog: Catalog
        do {
            catalog = try Catalog.load(directory: staging)
        } catch {
            try? manager.removeItem(at: staging)
            throw Refusal("cannot read the bundle back: \(error.localizedDescription)")
        }
        guard catalog.issues.isEmpty else {
            try? manager.removeItem(at: staging)
            let issues = catalog.issues.prefix(5).map(\.description).joined(separator: "; ")
            throw Refusal("refused, \(catalog.issues.count) file(s) rejected: \(issues)")
        }
        guard !catalog.procedures.isEmpty else {
            try? manager.removeItem(at: staging)
            throw Refusal("the bundle has no procedure")
        }
        do {
            try? manager.removeItem(at: directory)
            try manager.moveItem(at: staging, to: directory)
            // The switch: a new pointer file renamed over the old one.
            let next = root.appendingPathComponent("current.next")
            try Data((sha256 + "\n").utf8).write(to: next)
            guard rename(next.path, pointer.path) == 0 else { throw Refusal("cannot switch to the new catalog: \(String(cString: strerror(errno)))") }
        } catch let refusal as Refusal {
            throw refusal
        } catch {
            throw Refusal("cannot install the bundle: \(error.localizedDescription)")
        }
        pruneOthers(keeping: sha256)
        return (catalog, directory, bundle.label)
    }

    /// Keeps the bundle in use and the one before it (a technician's way back); drops the rest.
    private func pruneOthers(keeping current: String) {
        let manager = FileManager.default
        let entries = ((try? manager.contentsOfDirectory(atPath: root.path)) ?? []).filter { Self.isDigest($0) && $0 != current }
        let byAge = entries.sorted {
            let a = (try? manager.attributesOfItem(atPath: root.appendingPathComponent($0).path)[.modificationDate] as? Date) ?? .distantPast
            let b = (try? manager.attributesOfItem(atPath: root.appendingPathComponent($1).path)[.modificationDate] as? Date) ?? .distantPast
            return a > b
        }
        for old in byAge.dropFirst() { try? manager.removeItem(at: root.appendingPathComponent(old)) }
    }
}
