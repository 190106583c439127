/// Why a message did not reach a destination (`reason` in `analytics_messages_dropped_total`).
enum AnalyticsDropReason: String, Sendable, CaseIterable {
    /// The destination's queue held `queueLimit` messages already.
    case queueFull = "queue_full"
    /// Over Segment's 32 KB per message.
    case tooLarge = "too_large"
    /// The collector refused the batch with a 4xx other than 429.
    case rejected
    /// Still not accepted after the last retry, or when the shutdown's time was up.
    case gaveUp = "gave_up"
    /// The JSON lines file could not be written.
    case file
}

/// The pipeline's series in `/metrics`, each labelled by app and destination (`collector` or `file`): messages
/// delivered, messages dropped by reason, and messages waiting.
struct AnalyticsMetrics: Sendable {
    var app: String

    func sent(_ count: Int, to destination: String) {
        ServiceMetrics.count(
            "analytics_messages_sent_total", [("app", app), ("destination", destination)], by: count)
    }

    func dropped(_ count: Int, from destination: String, because reason: AnalyticsDropReason) {
        ServiceMetrics.count(
            "analytics_messages_dropped_total",
            [("app", app), ("destination", destination), ("reason", reason.rawValue)], by: count)
    }

    func queueLength(_ length: Int, of destination: String) {
        ServiceMetrics.gauge("analytics_queue_length", [("app", app), ("destination", destination)], Double(length))
    }
}
