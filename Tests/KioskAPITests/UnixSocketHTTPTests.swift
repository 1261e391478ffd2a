import Foundation
import KioskAPI
import KioskTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// kioskctl's HTTP over a Unix socket, against a bare server that answers as soon as it has the
/// request's head and closes (as kioskd may, with `Connection: close`, once it has the body):
/// the answer must be read, not lost to a write on the closed connection.
@Suite struct UnixSocketHTTPTests {
    /// A one-connection server on `path`: reads up to the end of the head, answers, closes.
    /// Returns what it read.
    static func serveOnce(at path: String, answer: String, after delay: Duration = .zero) throws -> Task<String, Never> {
        guard let fd = boundUnixSocket(path), listen(fd, 1) == 0 else { throw POSIXError(.EADDRINUSE) }
        // Its blocking calls run on a thread of its own, never on the cooperative pool (two
        // threads on this machine: two such servers there would stall the whole test process).
        return Task {
            await onOwnThread { Self.answerOne(fd, answer: answer, after: delay) }
        }
    }

    static func answerOne(_ fd: Int32, answer: String, after delay: Duration) -> String {
        let client = accept(fd, nil, nil)
        defer {
            close(client)
            close(fd)
        }
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while String(decoding: received, as: UTF8.self).range(of: "\r\n\r\n") == nil {
            let n = read(client, &buffer, buffer.count)
            if n <= 0 { break }
            received.append(contentsOf: buffer[0..<n])
        }
        if delay > .zero { usleep(UInt32(delay.components.seconds * 1_000_000)) }
        _ = answer.withCString { write(client, $0, strlen($0)) }
        return String(decoding: received, as: UTF8.self)
    }

    @Test func anAnswerBeforeTheBodyIsReadIsStillRead() async throws {
        for round in 0..<20 {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("uhttp-\(UUID().uuidString.prefix(8)).sock").path
            defer { unlink(path) }
            let server = try Self.serveOnce(
                at: path, answer: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{\"ok\":true}")
            let body = Data(String(repeating: "x", count: 60_000).utf8)
            let answer = try await UnixSocketHTTP(socketPath: path).send("POST", "/api/v1/things", body: body, timeout: 10)
            #expect(answer.status == 200 && String(decoding: answer.body, as: UTF8.self) == #"{"ok":true}"#, "round \(round)")
            let head = await server.value
            #expect(head.hasPrefix("POST /api/v1/things HTTP/1.1\r\n") && head.contains("Content-Length: 60000"), "\(head.prefix(200))")
        }
    }

    @Test func noAnswerWithinTheTimeIsSaidSo() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("uhttp-\(UUID().uuidString.prefix(8)).sock").path
        defer { unlink(path) }
        let server = try Self.serveOnce(at: path, answer: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", after: .seconds(3))
        do {
            _ = try await UnixSocketHTTP(socketPath: path).send("GET", "/api/v1/health", timeout: 1)
            Issue.record("answered within 1 s")
        } catch {
            #expect(error.description == "no whole answer from kioskd within 1 s", "\(error)")
        }
        _ = await server.value
    }
}
