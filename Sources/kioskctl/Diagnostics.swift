import ArgumentParser
import Foundation
import KioskAPI

/// `kioskctl diagnostics`.
struct Diagnostics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Writes a bundle to send to support: versions, settings (secrets masked), status, central link, recent log.",
        discussion: "No personal data is in it: kioskd reads no session, answer or identity for it. The file is made readable by its owner only.")

    @OptionGroup var connection: Connection
    @Option(name: .shortAndLong, help: "The file to write (JSON).") var output: String
    @Flag(name: .long, help: "Print a JSON summary of what was written.") var json = false

    func run() async throws {
        let client = try connection.client
        let report = try await callKiosk(progress: "collecting diagnostics") { () async throws(KioskClient.Failure) in
            try await client.diagnostics()
        }
        var data = try APICoding.encoder().encode(report)
        data.append(0x0A)
        // Owner-only from the moment it exists (an existing file is made so before it is written).
        let fd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0, fchmod(fd, 0o600) == 0 else {
            FileHandle.standardError.write(Data("kioskctl: cannot write \(output): \(String(cString: strerror(errno)))\n".utf8))
            throw ExitCode(1)
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        try handle.write(contentsOf: data)
        if json {
            return try printJSON(["file": output, "bytes": "\(data.count)", "logLines": "\(report.recentLog.count)"])
        }
        print("wrote \(output): \(data.count / 1024 + 1) KB (\(report.status.devices.count) devices, \(report.recentLog.count) log lines)")
    }
}
