import Foundation
import Logging
import ServiceLifecycle

/// Ends idle sessions.
struct SessionSweeper: Service {
    let sessions: SessionService
    let interval: Duration

    func run() async throws {
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
