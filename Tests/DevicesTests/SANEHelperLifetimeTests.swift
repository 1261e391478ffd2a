import Devices
import Foundation
import KioskTestSupport
import Testing

/// The `kiosk-sane` helper's life: it heeds SIGTERM however it was started, and it does not
/// outlive the kioskd that started it.
@Suite struct SANEHelperLifetimeTests {
    /// A feeder scan of the `test` device slowed to a crawl (each read waits 200 ms).
    func slowScan() throws -> Data {
        let options =
            SANETestBackend.defaults.map { (name: $0.0, value: $0.1) }
            + [(name: "read-delay", value: "yes"), (name: "read-delay-duration", value: "200000")]
        let request = SANEHelperRequest(
            device: "test:0", sourceNames: .init(), options: options,
            scan: ScanRequest(source: .feeder, mode: .color, dpi: 200, paper: .a4))
        return try JSONEncoder().encode(request)
    }

    var environment: [String: String] {
        ProcessInfo.processInfo.environment.merging(["SANE_CONFIG_DIR": SANETestBackend.directory!.path]) { $1 }
    }

    /// Started from the cooperative pool, as kioskd starts it — whose threads block SIGTERM,
    /// a mask the child inherits — SIGTERM still cancels the scan and the helper leaves (its
    /// dispatch signal source reads the signal through a signalfd, which a blocked signal suits).
    @Test func sigtermStopsAScanEvenWhenStartedFromThePool() async throws {
        let process = Process()
        process.executableURL = builtProduct("kiosk-sane")
        process.environment = environment
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()  // on purpose not `start(_:)`: from this task's thread
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        input.fileHandleForWriting.write(try slowScan())
        try input.fileHandleForWriting.close()
        // Drain its output so it never blocks on a full pipe.
        let drained = Task { await onOwnThread { output.fileHandleForReading.readDataToEndOfFile().count } }
        try await Task.sleep(for: .milliseconds(800))
        #expect(process.isRunning, "still scanning")
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!process.isRunning, "SIGTERM ended the scan")
        kill(process.processIdentifier, SIGKILL)
        _ = await drained.value
    }

    /// kioskd killed with SIGKILL mid-scan: the helper notices that its parent is gone and
    /// leaves, releasing the scanner. (bash stands in for kioskd as the parent.)
    @Test func theHelperDoesNotOutliveItsParent() async throws {
        let request = FileManager.default.temporaryDirectory.appendingPathComponent("scan-\(UUID()).json")
        try slowScan().write(to: request)
        defer { try? FileManager.default.removeItem(at: request) }
        let parent = Process()
        parent.executableURL = URL(fileURLWithPath: "/bin/bash")
        parent.arguments = ["-c", "\"$0\" < \"$1\" > /dev/null 2>&1 & echo $!; wait", builtProduct("kiosk-sane").path, request.path]
        parent.environment = environment
        let output = Pipe()
        parent.standardOutput = output
        try await start(parent)
        defer { if parent.isRunning { kill(parent.processIdentifier, SIGKILL) } }
        let line = await onOwnThread { () -> String in
            var text = ""
            while !text.contains("\n") {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            return text
        }
        let helper = try #require(Int32(line.trimmingCharacters(in: .whitespacesAndNewlines)), "the helper's pid: \(line)")
        defer { kill(helper, SIGKILL) }
        try await Task.sleep(for: .milliseconds(800))
        #expect(isAlive(helper), "scanning while its parent lives")
        // Not waited for: Foundation reports a child's end only once every process holding
        // its descriptors has gone, and the helper holds them.
        kill(parent.processIdentifier, SIGKILL)
        let deadline = Date().addingTimeInterval(10)
        while isAlive(helper), Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!isAlive(helper), "the orphaned helper left")
    }

    /// Running, and not a zombie waiting for a parent that may never reap it.
    func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }
}
