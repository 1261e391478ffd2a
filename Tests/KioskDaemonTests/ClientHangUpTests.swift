import Foundation
import Hummingbird
import HummingbirdTesting
import KioskTestSupport
import Logging
import Testing

@testable import KioskDaemon

/// A client that hangs up mid-request is not an error of the kiosk: nothing at warning or
/// above reaches the technician's log, and the kiosk goes on answering.
@Suite struct ClientHangUpTests {
    @Test func clientsHangingUpMidRequestLogNothingAboveDebug() async throws {
        let kiosk = try TestKiosk()
        defer { kiosk.cleanUp() }
        let lines = LogLines()
        var logger = Logger(label: "kioskd") { _ in RecordingLogHandler(lines: lines) }
        logger.logLevel = .trace
        let app = try await buildApplication(config: kiosk.config, logger: logger, sweepInterval: .seconds(5))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            await onOwnThread {
                for request in [
                    "POST /api/v1/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"lang",
                    "POST /api/v1/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"la",
                    "GET /api/v1/procedures HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                    "GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                ] {
                    for _ in 0..<10 {
                        guard let fd = connectLoopback(port: port, timeoutSeconds: 5) else { continue }
                        _ = request.withCString { send(fd, $0, strlen($0), 0) }
                        close(fd)
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(500))
            let health = try await client.execute(uri: "/api/v1/health", method: .get) { $0.status }
            #expect(health == .ok, "the kiosk goes on answering")
        }
        let loud = lines.all.filter { ["warning", "error", "critical"].contains(String($0.prefix { $0 != " " })) }
        #expect(loud.isEmpty, "\(loud.prefix(3))")
        #expect(lines.all.contains { $0.hasPrefix("debug request cut off") }, "the hang-ups were seen, at debug level")
    }
}
