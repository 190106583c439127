import Logging
import ServiceLifecycle

/// Work a served service repeats in the background (OSS's outbox): a pass, then a pause, until shutdown, when a
/// pass in flight is cancelled. A failed pass is logged and the next one tried.
package struct RepeatingWork: Service {
    package var name: String
    package var interval: Duration
    package var pass: @Sendable () async throws -> Void

    package init(_ name: String, every interval: Duration, pass: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.interval = interval
        self.pass = pass
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
                try? await Task.sleep(for: interval)
            }
        }
    }
}
