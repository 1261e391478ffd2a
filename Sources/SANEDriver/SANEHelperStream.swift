import DeviceModel
import Foundation
import Imaging

/// Reads the helper's stream straight from its file descriptor: header lines through a
/// small buffer, each page's bytes with read(2) directly into the page's own storage (one
/// copy from the kernel, none in between).
struct FrameReader {
    let fd: Int32
    let alive: () -> Void
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    private var start = 0
    private var end = 0

    init(fd: Int32, alive: @escaping () -> Void) {
        self.fd = fd
        self.alive = alive
    }

    /// Fills the buffer once; false at end of file or on an error.
    private mutating func fill() -> Bool {
        if start == end {
            start = 0
            end = 0
        }
        if end == buffer.count {
            buffer.replaceSubrange(0..<(end - start), with: buffer[start..<end])
            (start, end) = (0, end - start)
        }
        let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + end, $0.count - end) }
        guard n > 0 else { return false }
        alive()
        end += n
        return true
    }

    /// The next text line, without its newline; nil at end of file. Lines are short: one
    /// longer than the buffer is garbage and ends the stream.
    mutating func line() -> String? {
        while true {
            if let newline = buffer[start..<end].firstIndex(of: 0x0A) {
                let text = String(decoding: buffer[start..<newline], as: UTF8.self)
                start = newline + 1
                return text
            }
            if start == 0, end == buffer.count { return nil }
            guard fill() else { return nil }
        }
    }

    /// Exactly `count` bytes as an array — one from `pool` when it has one of that size, so
    /// the memory of a processed page is reused — nil if the stream ends first.
    mutating func pixels(_ count: Int, pool: PixelPool? = nil) -> [UInt8]? {
        if var array = pool?.take(count: count) {
            let complete = array.withUnsafeMutableBytes { read(into: $0) }
            return complete ? array : nil
        }
        var complete = false
        let array = [UInt8](unsafeUninitializedCapacity: count) { target, initialized in
            complete = read(into: UnsafeMutableRawBufferPointer(target))
            initialized = complete ? count : 0
        }
        return complete ? array : nil
    }

    /// Fills `target`, buffered bytes first, then straight from the stream; false if the
    /// stream ends first.
    private mutating func read(into target: UnsafeMutableRawBufferPointer) -> Bool {
        let count = target.count
        guard let target = target.baseAddress else { return true }
        let buffered = min(count, end - start)
        buffer.withUnsafeBytes { source in
            target.copyMemory(from: source.baseAddress! + start, byteCount: buffered)
        }
        start += buffered
        var filled = buffered
        while filled < count {
            let n = Glibc.read(fd, target + filled, count - filled)
            guard n > 0 else { return false }
            alive()
            filled += n
        }
        return true
    }

    /// Exactly `count` bytes; nil if the stream ends first.
    mutating func bytes(_ count: Int) -> Data? {
        var data = Data(count: count)
        let complete = data.withUnsafeMutableBytes { read(into: $0) }
        return complete ? data : nil
    }
}

/// Fires `stop` once when `touch` has not been called for `timeout` seconds — or, while
/// `betweenPages` says a page is complete and nothing of the next has come, for
/// `pageGap` seconds: a feeder pulls and starts the next sheet within seconds, so a longer
/// silence there is the helper hanging, and the sooner it is replaced the shorter the
/// applicant's wait.
final class StallWatchdog: @unchecked Sendable {
    // Thread safety: `last`, `stopped` and `didFire` are guarded by `lock`; the timer runs on its own queue.
    private let lock = NSLock()
    private var last = DispatchTime.now()
    private var stopped = false
    private var didFire = false
    private let timer: any DispatchSourceTimer

    init(
        timeout: TimeInterval, pageGap: TimeInterval? = nil, betweenPages: @escaping @Sendable () -> Bool = { false },
        stop: @escaping @Sendable () -> Void
    ) {
        timer = DispatchSource.makeTimerSource(queue: .global())
        let nanoseconds = UInt64(timeout * 1_000_000_000)
        let gapNanoseconds = UInt64(min(timeout, pageGap ?? timeout) * 1_000_000_000)
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            let gap = betweenPages()
            let fire = lock.withLock { () -> Bool in
                let silent = DispatchTime.now().uptimeNanoseconds - last.uptimeNanoseconds
                guard !stopped, !didFire, silent > (gap ? gapNanoseconds : nanoseconds) else { return false }
                didFire = true
                return true
            }
            if fire { stop() }
        }
        let tick = min(1, min(timeout, pageGap ?? timeout) / 4)
        timer.schedule(deadline: .now() + tick, repeating: tick)
        timer.resume()
    }

    func touch() { lock.withLock { last = .now() } }

    var fired: Bool { lock.withLock { didFire } }

    func cancel() {
        lock.withLock { stopped = true }
        timer.cancel()
    }
}
