import Foundation
import KioskTestSupport
import Synchronization
import Testing

/// kioskd speaks systemd's notification protocol itself: READY=1 once the API answers,
/// WATCHDOG=1 at half the period while the store answers (none while another process holds it
/// locked), STATUS= lines, STOPPING=1 on SIGTERM — read here from a datagram socket, as
/// systemd would.
@Suite struct SystemdNotifyTests {
    struct BindFailure: Error {
        var path: String
    }

    /// What arrived, with when.
    final class Inbox: Sendable {
        let messages = Mutex<[(at: ContinuousClock.Instant, text: String)]>([])
        func append(_ text: String) { messages.withLock { $0.append((ContinuousClock.now, text)) } }
        func all() -> [(at: ContinuousClock.Instant, text: String)] { messages.withLock { $0 } }
    }

    /// A datagram socket bound at `path`, read on a thread of its own.
    final class NotifySocket: Sendable {
        let fd: Int32
        let inbox = Inbox()

        init(path: String) throws {
            let socketFD = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            fd = socketFD
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard socketFD >= 0, bound == 0 else { throw BindFailure(path: path) }
            var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
            setsockopt(socketFD, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let inbox = self.inbox
            Thread.detachNewThread {
                var buffer = [UInt8](repeating: 0, count: 4096)
                while true {
                    let n = recv(socketFD, &buffer, buffer.count, 0)
                    if n > 0 {
                        inbox.append(String(decoding: buffer[0..<n], as: UTF8.self))
                    } else if n < 0, errno != EAGAIN, errno != EWOULDBLOCK, errno != EINTR {
                        return
                    }
                }
            }
        }

        func all() -> [(at: ContinuousClock.Instant, text: String)] { inbox.all() }

        func count(_ field: String, since: ContinuousClock.Instant) -> Int {
            all().filter { $0.at >= since && $0.text.split(separator: "\n").contains(Substring(field)) }.count
        }

        func waitFor(_ field: String, seconds: Double) async -> String? {
            let end = ContinuousClock.now + .seconds(seconds)
            while ContinuousClock.now < end {
                if let found = all().first(where: { $0.text.split(separator: "\n").contains(Substring(field)) }) { return found.text }
                try? await Task.sleep(for: .milliseconds(50))
            }
            return nil
        }

        deinit { close(fd) }
    }

    @Test func readyWatchdogStatusAndStopping() async throws {
        let kiosk = try TestKiosk()
        defer { kiosk.cleanUp() }
        let port = try freeLoopbackPort()
        let config = try CrashRecoveryTests().writeConfig(
            kiosk, port: port, scannerPageDelayMs: 5, printer: "driver = \"simulated\"\noutput_directory = \"printed\"")
        let socketPath = kiosk.directory.appendingPathComponent("notify.sock").path
        let notify = try NotifySocket(path: socketPath)
        let daemon = try await DaemonProcess.launch(
            TestKiosk.kioskdBinary, ["--config", config.path], log: kiosk.directory.appendingPathComponent("kioskd.log"),
            environment: ["NOTIFY_SOCKET": socketPath, "WATCHDOG_USEC": "1000000"])
        defer { daemon.kill() }

        // READY=1 comes once the API answers (a busy machine: a generous wait).
        let ready = await notify.waitFor("READY=1", seconds: 90)
        #expect(ready?.contains("STATUS=ready on") == true, "\(notify.all().map(\.text)) \(daemon.logTail())")
        #expect(httpStatus(port: port, path: "/api/v1/health") == 200, "READY=1 before the port answered")

        // Pings at half the period, each with a status line and no personal data.
        let pinging = ContinuousClock.now
        try await Task.sleep(for: .seconds(3))
        #expect(notify.count("WATCHDOG=1", since: pinging) >= 3, "\(notify.all().map(\.text))")
        let status = notify.all().last { $0.text.contains("STATUS=") }?.text ?? ""
        #expect(status.contains("open sessions") && status.contains("scanner online"), "\(status)")

        // Another process holds the store locked: the store does not answer, the pings stop.
        let store = kiosk.directory.appendingPathComponent("state/kiosk.sqlite").path
        let locker = Process()
        locker.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        locker.arguments = [store]
        let input = Pipe()
        locker.standardInput = input
        locker.standardOutput = FileHandle.nullDevice
        try locker.run()
        defer { if locker.isRunning { locker.terminate() } }
        input.fileHandleForWriting.write(Data(".timeout 10000\nBEGIN IMMEDIATE;\nCREATE TABLE IF NOT EXISTS held (x);\n".utf8))
        try await Task.sleep(for: .seconds(1))
        let locked = ContinuousClock.now
        try await Task.sleep(for: .seconds(4))
        #expect(notify.count("WATCHDOG=1", since: locked) == 0, "fed while the store was locked: \(notify.all().suffix(6).map(\.text))")
        input.fileHandleForWriting.write(Data("ROLLBACK;\n.quit\n".utf8))
        try? input.fileHandleForWriting.close()
        locker.waitUntilExit()
        let released = ContinuousClock.now
        let resumed = ContinuousClock.now + .seconds(15)
        while notify.count("WATCHDOG=1", since: released) == 0, ContinuousClock.now < resumed { try await Task.sleep(for: .milliseconds(100)) }
        #expect(notify.count("WATCHDOG=1", since: released) > 0, "the pings did not come back")

        // SIGTERM: STOPPING=1, then a clean exit.
        let ended = await daemon.stop(grace: 15)
        #expect(ended.reason == .exit && ended.status == 0, "\(daemon.logTail())")
        #expect(await notify.waitFor("STOPPING=1", seconds: 2) != nil, "\(notify.all().suffix(3).map(\.text))")
    }
}

/// The shipped units (systemd/) pass `systemd-analyze verify` with nothing to say, and keep
/// the service's promises: notify with a watchdog, a sandbox, the screen after kioskd.
@Suite struct SystemdUnitTests {
    func verify(_ units: [String: String]) async throws -> ProgramResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("units-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var paths: [String] = []
        for (name, text) in units {
            let path = directory.appendingPathComponent(name)
            // The binaries where this build put them (verify checks that ExecStart= exists).
            try text.replacingOccurrences(of: "/usr/local/bin/kioskd", with: TestKiosk.kioskdBinary.path)
                .write(to: path, atomically: true, encoding: .utf8)
            paths.append(path.path)
        }
        return try await runProgram(URL(fileURLWithPath: "/usr/bin/systemd-analyze"), ["verify", "--man=no"] + paths)
    }

    @Test func theUnitsVerifyAndSandboxKioskd() async throws {
        let root = TestKiosk.repoRoot.appendingPathComponent("systemd")
        let kioskd = try String(contentsOf: root.appendingPathComponent("kioskd.service"), encoding: .utf8)
        let screen = try String(contentsOf: root.appendingPathComponent("kiosk-screen.service"), encoding: .utf8)
        let verified = try await verify(["kioskd.service": kioskd, "kiosk-screen.service": screen])
        #expect(verified.status == 0 && verified.errors.isEmpty, "\(verified.errors)")
        for line in [
            "Type=notify", "WatchdogSec=", "ProtectSystem=strict", "ReadWritePaths=/var/lib/kiosk", "NoNewPrivileges=yes",
            "PrivateTmp=yes", "DevicePolicy=closed", "DeviceAllow=char-usb_device rw",
        ] {
            #expect(kioskd.contains("\n" + line), "kioskd.service lacks \(line)")
        }
        #expect(screen.contains("After=kioskd.service") && screen.contains("--kiosk --app=http://127.0.0.1:8080/"))
        // The check can fail: a unit with a mistake in it is reported.
        let broken = try await verify(["kioskd.service": kioskd.replacingOccurrences(of: "Type=notify", with: "Type=notfy")])
        #expect(broken.errors.contains("Failed to parse service type"), "\(broken.errors)")
    }
}

/// scripts/install-kiosk.sh into a staging root (DESTDIR): the tree a package would ship.
@Suite struct InstallScriptTests {
    @Test func theInstallScriptLaysOutAServiceThatChecksAndVerifies() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("install-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let bin = TestKiosk.kioskdBinary.deletingLastPathComponent()
        let installed = try await runProgram(
            URL(fileURLWithPath: "/bin/bash"), [TestKiosk.repoRoot.appendingPathComponent("scripts/install-kiosk.sh").path],
            environment: ["DESTDIR": root.path, "KIOSK_BIN": bin.path])
        #expect(installed.status == 0, "\(installed.errors)")
        let fm = FileManager.default
        func mode(_ path: String) -> Int? { (try? fm.attributesOfItem(atPath: root.path + path)[.posixPermissions] as? Int) ?? nil }
        for program in ["kioskd", "kioskctl", "kiosk-sane"] { #expect(mode("/usr/local/bin/\(program)") == 0o755, "\(program)") }
        #expect(mode("/etc/kiosk/kiosk.conf") == 0o640)
        for path in [
            "/usr/local/share/kioskd/catalog/chung-thuc-ban-sao.yaml", "/usr/local/share/kioskd/screen/index.html",
            "/lib/systemd/system/kioskd.service", "/lib/systemd/system/kiosk-screen.service",
        ] {
            #expect(fm.fileExists(atPath: root.path + path), "\(path)")
        }
        let sysusers = try String(contentsOfFile: root.path + "/usr/lib/sysusers.d/kiosk.conf", encoding: .utf8)
        #expect(sysusers.hasPrefix("u kiosk ") && sysusers.contains("\ng kiosk-tech -"))
        let udev = try String(contentsOfFile: root.path + "/etc/udev/rules.d/60-kiosk-ccid.rules", encoding: .utf8)
        #expect(udev.contains("0b0000") && udev.contains("GROUP=\"kiosk\""))

        // The installed configuration checks, once its absolute paths point into the staging root.
        let conf = try String(contentsOfFile: root.path + "/etc/kiosk/kiosk.conf", encoding: .utf8)
        #expect(conf.contains("reader = \"usb\"") && conf.contains("path = \"/var/lib/kiosk/kiosk.sqlite\""))
        #expect(conf.contains("socket = \"/run/kiosk/kioskd.sock\"\ngroup = \"kiosk-tech\""))
        let staged = root.appendingPathComponent("check.conf")
        // kiosk-tech is made by systemd-sysusers on a real install; here, a group that exists.
        let group = try #require(getgrgid(getgid())).pointee.gr_name.map { String(cString: $0) } ?? "root"
        try conf.replacingOccurrences(of: "/usr/local/share", with: root.path + "/usr/local/share")
            .replacingOccurrences(of: "group = \"kiosk-tech\"", with: "group = \"\(group)\"")
            .replacingOccurrences(of: "/var/lib/kiosk", with: root.path + "/var/lib/kiosk")
            .write(to: staged, atomically: true, encoding: .utf8)
        let check = try await runProgram(URL(fileURLWithPath: root.path + "/usr/local/bin/kioskd"), ["--check", "--config", staged.path])
        #expect(check.status == 0 && check.output.contains("3 procedures"), "\(check.output) \(check.errors)")

        // The installed unit names the installed kioskd and verifies.
        let unit = try String(contentsOfFile: root.path + "/lib/systemd/system/kioskd.service", encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/local/bin/kioskd --config /etc/kiosk/kiosk.conf"))
        let verified = try await SystemdUnitTests().verify(["kioskd.service": unit])
        #expect(verified.status == 0 && verified.errors.isEmpty, "\(verified.errors)")
    }
}
