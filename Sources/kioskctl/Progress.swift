import Foundation

/// A progress line on stderr for anything that takes more than a second: the task's name
/// and the seconds elapsed, redrawn in place on a terminal, printed once otherwise (a log
/// file or a pipe gets one line, not a hundred).
func withProgress<T, E: Error>(_ label: String, _ body: () async throws(E) -> T) async throws(E) -> T {
    let interactive = isatty(STDERR_FILENO) == 1
    let ticker = Task {
        var seconds = 1
        try await Task.sleep(for: .seconds(1))
        if !interactive {
            FileHandle.standardError.write(Data("kioskctl: \(label)…\n".utf8))
            return
        }
        while !Task.isCancelled {
            FileHandle.standardError.write(Data("\r\u{1B}[2Kkioskctl: \(label)… \(seconds) s".utf8))
            try await Task.sleep(for: .seconds(1))
            seconds += 1
        }
    }
    defer {
        ticker.cancel()
        if interactive { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }
    return try await body()
}
