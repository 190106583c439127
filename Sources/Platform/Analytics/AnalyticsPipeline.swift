import Analytics
import Foundation

/// One app's analytics delivery: a bounded queue, batches by size and time, delivered to the collector
/// (``AnalyticsSettings/collectorURL``) and the JSON lines file, retried with back-off, dropped messages counted,
/// and everything queued flushed at shutdown (``worker(named:)``).
///
/// SEAM (lead): this first version writes each message to the file at once; the pipeline owner replaces the
/// inside, keeping `init(settings:)`, `send(_:)`, `flush()` and `worker(named:)`.
package actor AnalyticsPipeline: AnalyticsSink {
    let settings: AnalyticsSettings

    package init(settings: AnalyticsSettings) {
        self.settings = settings
    }

    package func send(_ message: AnalyticsMessage) async {
        guard let file = settings.file, var line = try? AnalyticsMessage.makeEncoder().encode(message) else { return }
        line.append(0x0A)
        try? FilePrivacy.ensureDirectory(file.deletingLastPathComponent())
        if !FileManager.default.fileExists(atPath: file.path) {
            _ = FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        guard let handle = try? FileHandle(forWritingTo: file) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: line)
    }

    /// Delivers everything queued now.
    package func flush() async {}

    /// The background delivery while the app is served: a partial batch leaves every flush interval, and the
    /// queue is flushed once more at shutdown.
    package nonisolated func worker(named name: String) -> RepeatingWork {
        RepeatingWork(name, every: settings.flushInterval) { [self] in await flush() }
    }
}
