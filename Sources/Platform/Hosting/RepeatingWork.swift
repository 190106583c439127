import Logging
import ServiceLifecycle

/// Work a served service repeats in the background (OSS's outbox): a pass, then a pause, until shutdown, when a
/// pass in flight is cancelled. A failed pass is logged and the next one tried. `atShutdown` (the analytics
/// pipeline's last flush) runs once after the loop has ended, and is not cancelled with it: it bounds itself.
package struct RepeatingWork: Service {
    package var name: String
    package var interval: Duration
    package var pass: @Sendable () async throws -> Void
    package var atShutdown: (@Sendable () async -> Void)?

    package init(
        _ name: String, every interval: Duration, pass: @escaping @Sendable () async throws -> Void,
        atShutdown: (@Sendable () async -> Void)? = nil
    ) {
        self.name = name
        self.interval = interval
        self.pass = pass
        self.atShutdown = atShutdown
    }

    package func run() async throws {
        let logger = Logger(label: name)
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await pass()
                } catch {
                    logger.warning("\(name) pass failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: BackgroundPace.pause(interval))
            }
        }
        if let atShutdown {
            // A task of its own, so a cancelled group does not cut the last pass short.
            await Task { await atShutdown() }.value
        }
    }
}
