/// Where the pipeline delivers batches: the collector or the JSON lines file.
protocol AnalyticsDestination: Sendable {
    /// `destination` in the metrics: `collector` or `file`.
    var name: String { get }
    /// Whether a failed attempt may succeed later (a collector busy or away), so the batch is tried again.
    var retries: Bool { get }
    /// One attempt at delivering `batch`, within `timeout`.
    func deliver(_ batch: AnalyticsBatch, timeout: Duration) async -> AnalyticsAttemptResult
}

/// How one delivery attempt went.
enum AnalyticsAttemptResult: Sendable, Equatable {
    case delivered
    /// Worth another try (a 429 or 5xx answer, a timeout, no connection); `detail` is for the log.
    case tryAgain(detail: String)
    /// Never worth another try: the batch is dropped.
    case dropped(AnalyticsDropReason, detail: String)
}
