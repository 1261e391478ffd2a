import ArgumentParser
import CentralProtocol
import CentralServer
import Foundation

struct PublishCatalog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish-catalog",
        abstract: "Signs a catalog directory's procedure files as a bundle, keeps it, prints its SHA-256; with --kiosk, sends catalog.update.",
        discussion: """
            Each kiosk named gets a catalog.update command naming the bundle; it checks the signature and the \
            files as it checks local ones, swaps the whole catalog at once (sessions under way keep their \
            procedure's version) and reports the result on its next heartbeat.
            """)

    @OptionGroup var state: StateOption
    @Option(name: .long, help: "A label for people, e.g. 2026.12.") var label: String
    @Option(name: .long, help: "A kiosk to send catalog.update to (repeatable).") var kiosk: [String] = []
    @Argument(help: "The directory of .yaml procedure files.") var directory: String

    func run() async throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        guard !names.isEmpty else { throw ValidationError("\(directory) has no .yaml file") }
        var files: [CatalogBundle.File] = []
        for name in names {
            guard CatalogBundle.isAcceptableName(name) else { throw ValidationError("\(name): use letters, digits, - _ . only") }
            let path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw ValidationError("\(name): not readable UTF-8 text")
            }
            files.append(CatalogBundle.File(name: name, content: text))
        }
        let central = state.central
        let key = try SigningKey.loadOrCreate(path: central.keyPath)
        let signed = try SignedCatalogBundle(CatalogBundle(label: label, files: files), key: key)
        guard signed.payload.count <= CatalogBundle.maxBytes else {
            throw ValidationError("the bundle is \(signed.payload.count / 1024) KB; kiosks take at most \(CatalogBundle.maxBytes / 1024) KB")
        }
        let store = try central.store()
        let sha256 = try await store.publish(signed, label: label)
        print(sha256)
        for id in kiosk {
            let command = try await store.issue(.catalogUpdate, arguments: ["bundle": sha256, "label": label], to: id)
            print("catalog.update \(command) to \(id)")
        }
    }
}

struct Diagnostics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Prints the latest diagnostics bundle a kiosk sent (ask for one: command KIOSK diagnostics.upload).")

    @OptionGroup var state: StateOption
    @Argument(help: "The kiosk id.") var kiosk: String

    func run() async throws {
        guard let (receivedAt, bundle) = try await state.central.store().latestDiagnostics(kioskId: kiosk) else {
            throw ValidationError("no diagnostics from \(kiosk) yet: kiosk-central command \(kiosk) diagnostics.upload")
        }
        FileHandle.standardError.write(Data("received \(receivedAt.formatted(.iso8601))\n".utf8))
        print(String(decoding: bundle, as: UTF8.self))
    }
}
