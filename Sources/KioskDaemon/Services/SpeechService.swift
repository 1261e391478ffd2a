import CentralProtocol
import Foundation
import Localized
import NIOPosix

/// Spoken guidance: a screen's instruction read aloud, synthesised on the kiosk by espeak-ng
/// (offline, its Vietnamese voice `vi`), each text once: the WAV is kept in `cache` under the
/// SHA-256 of voice and text, so the second applicant hears it at once.
///
/// Only the screen's own instructions are spoken (the screen never sends what an applicant
/// typed or what the card holds); the cache is the kiosk's alone (0700) all the same.
struct SpeechService: Sendable {
    let cache: URL
    let program: String
    static let maxCharacters = 600

    enum Failure: Error {
        case unavailable(String)
        case tooLong
    }

    init(cache: URL, program: String = "espeak-ng") {
        self.cache = cache
        self.program = program
    }

    /// The WAV of `text` in `language`.
    func speech(_ text: String, language: Language) async throws -> Data {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= Self.maxCharacters else { throw Failure.tooLong }
        let voice = language == .vi ? "vi" : "en"
        let file = cache.appendingPathComponent(SHA256Hasher.hex(Data("\(voice)\n\(text)".utf8)) + ".wav")
        let program = self.program
        let directory = cache
        // File reads and espeak-ng off the cooperative pool.
        return try await NIOThreadPool.singleton.runIfActive {
            if let cached = try? Data(contentsOf: file), !cached.isEmpty { return cached }
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let partial = directory.appendingPathComponent(UUID().uuidString + ".part")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            // -s 150: words per minute, slower than the default 175 for older listeners.
            process.arguments = [program, "-v", voice, "-s", "150", "-w", partial.path, "--", text]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            do {
                try process.run()
            } catch {
                throw Failure.unavailable("\(program) cannot be started: \(error)")
            }
            process.waitUntilExit()
            defer { try? FileManager.default.removeItem(at: partial) }
            guard process.terminationStatus == 0, let wav = try? Data(contentsOf: partial), !wav.isEmpty else {
                throw Failure.unavailable("\(program) exited with \(process.terminationStatus) (is espeak-ng installed?)")
            }
            _ = try? FileManager.default.moveItem(at: partial, to: file)
            return wav
        }
    }
}
