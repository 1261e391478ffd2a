// kiosk-sane: runs one SANE scan (or probe) for kioskd in a process of its own.
// Reads a SANEHelperRequest as JSON on standard input; writes SANEHelperFrame records on
// standard output, each page as soon as it is complete. SIGTERM cancels the scan.
import DeviceModel
import Imaging
import SANEDriver
import Dispatch
import Foundation

/// Writes a whole record to standard output (file descriptor 1) before returning.
func emit(_ data: Data) {
    data.withUnsafeBytes { emit($0) }
}

func emit(_ buffer: UnsafeRawBufferPointer) {
    var offset = 0
    while offset < buffer.count {
        let written = write(1, buffer.baseAddress! + offset, buffer.count - offset)
        if written <= 0 { _exit(74) }  // kioskd went away: nothing more to do
        offset += written
    }
}

// The helper dies with kioskd: a kioskd killed with SIGKILL leaves it orphaned, still holding
// the scanner. (Not PR_SET_PDEATHSIG: it fires when the thread that started the helper ends,
// and the pool's threads come and go.)
let parent = getppid()
Thread.detachNewThread {
    while true {
        usleep(250_000)
        if getppid() != parent { _exit(70) }
    }
}

let input = FileHandle.standardInput.readDataToEndOfFile()
guard let request = try? JSONDecoder().decode(SANEHelperRequest.self, from: input) else {
    FileHandle.standardError.write(Data("kiosk-sane: expected a scan request as JSON on standard input\n".utf8))
    exit(64)
}

/// Fault injection for tests: after its first page (and that page's last progress record) the
/// helper hangs silently where libsane does — at the next sane_start, when the previous page's
/// reader thread was cancelled inside the dynamic loader (see README) — if the file this names
/// exists; the file is consumed, so only one helper hangs.
let hangOnce = ProcessInfo.processInfo.environment["KIOSK_SANE_HANG_ONCE"]

let scanner = SANEScanner(id: "scanner", deviceName: request.device, sourceNames: request.sourceNames, extraOptions: request.extraOptions)
let done = DispatchSemaphore(value: 0)
let work = Task.detached {
    defer { done.signal() }
    guard let scan = request.scan else {
        await scanner.probe()
        let status = await scanner.status()
        await scanner.close()
        if status.state == .online {
            if let capabilities = try? await scanner.capabilities() { emit(SANEHelperFrame.capabilities(capabilities)) }
            emit(SANEHelperFrame.done)
        } else {
            emit(SANEHelperFrame.failed(DeviceFailure(state: status.state, notice: status.lastError ?? DeviceNotices.scannerUnavailable)))
        }
        return
    }
    do throws(ScanInterrupted) {
        // Each page goes out as soon as it is complete: kioskd compresses it while the
        // next sheet is scanned.
        let emitted = PageCounter()
        _ = try await scanner.stream(
            scan,
            progress: { progress in
                emit(SANEHelperFrame.progress(progress))
                if progress.page == emitted.value, let hangOnce, unlink(hangOnce) == 0 {
                    while true { pause() }  // SIGTERM is ignored here: only SIGKILL ends it
                }
            },
            onPage: { page in
                emit(SANEHelperFrame.pageHeader(page))
                emit(page.pnmHeader)
                page.pixels.withUnsafeBytes { emit($0) }
                emitted.add()
            })
        emit(SANEHelperFrame.done)
    } catch {
        emit(SANEHelperFrame.failed(error.failure))
    }
    await scanner.close()
}

signal(SIGTERM, SIG_IGN)
let terminate = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
terminate.setEventHandler { work.cancel() }
terminate.resume()
done.wait()
// _exit, not exit: every record already went out through write(2), and exit's handlers can
// block for ever on the dynamic loader's lock when a backend thread was cancelled while
// holding it (seen: 3 helpers in 300 under load hung in _dl_fini after reporting).
_exit(0)
