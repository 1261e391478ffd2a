import Foundation
import Logging
import ServiceLifecycle

/// Ends idle sessions, and at start-up clears device actions a previous run left unfinished.
struct SessionSweeper: Service {
    let sessions: SessionService
    let interval: Duration

    func run() async throws {
        await sessions.recoverInterruptedActions()
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                // A plain sleep would hold shutdown up for a whole interval.
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
            await sessions.tickAll()
        }
    }
}
