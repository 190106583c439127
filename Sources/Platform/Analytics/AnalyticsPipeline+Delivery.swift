import Foundation

/// Back-off between attempts at the collector: exponential with full jitter (a random pause up to
/// `base · 2^(attempt − 1)`, at most `cap`), for at most `attempts` attempts, each given `timeout`.
package struct AnalyticsRetry: Sendable {
    var base: Duration
    var cap: Duration
    var attempts: Int
    var timeout: Duration

    package init(
        base: Duration = .milliseconds(500), cap: Duration = .seconds(60), attempts: Int = 10,
        timeout: Duration = .seconds(10)
    ) {
        self.base = base
        self.cap = cap
        self.attempts = attempts
        self.timeout = timeout
    }

    func pause(after attempt: Int) -> Duration {
        let ceiling = min(cap, base * Double(1 << min(attempt - 1, 20)))
        return ceiling * Double.random(in: 0...1)
    }
}

extension AnalyticsPipeline {
    /// Starts the lane's delivery task unless one runs: it takes batches until none is due.
    func startDraining(_ index: Int) {
        guard lanes[index].draining == nil else { return }
        lanes[index].draining = Task { await self.drain(index) }
    }

    private func drain(_ index: Int) async {
        while let batch = nextBatch(index) {
            let destination = lanes[index].destination
            switch await deliver(batch, to: destination) {
            case .delivered:
                count(batch.count, deliveredTo: destination.name)
            case .dropped(let reason, let detail):
                logger.warning(
                    "analytics batch dropped",
                    metadata: [
                        "destination": "\(destination.name)", "reason": "\(reason.rawValue)",
                        "messages": "\(batch.count)", "detail": "\(detail)",
                    ])
                count(batch.count, droppedFrom: destination.name, because: reason)
            }
        }
    }

    /// The lane's next due batch (a full one, or a partial one while a flush asks for it); when none is due the
    /// lane's delivery task ends.
    private func nextBatch(_ index: Int) -> AnalyticsBatch? {
        let queue = lanes[index].queue
        guard queue.hasFullBatch(size: settings.batchSize) || queue.holds(through: lanes[index].flushThrough) else {
            lanes[index].draining = nil
            return nil
        }
        let batch = lanes[index].queue.takeBatch(size: settings.batchSize)
        lanes[index].warnedFull = false
        metrics.queueLength(lanes[index].queue.count, of: lanes[index].destination.name)
        return batch
    }

    /// Attempts until delivered, refused, out of attempts or, once shutdown has begun, out of time. Later batches
    /// wait meanwhile, so the collector sees the messages in order; a retried batch keeps its message ids.
    private func deliver(_ batch: AnalyticsBatch, to destination: any AnalyticsDestination) async
        -> AnalyticsDelivery
    {
        var attempt = 0
        while true {
            attempt += 1
            var timeout = retry.timeout
            if destination.retries, let giveUpAt {
                let left = giveUpAt - ContinuousClock.now
                guard left > .zero else { return .dropped(.gaveUp, detail: "shutdown") }
                timeout = min(timeout, left)
            }
            let detail: String
            switch await destination.deliver(batch, timeout: timeout) {
            case .delivered: return .delivered
            case .dropped(let reason, let why): return .dropped(reason, detail: why)
            case .tryAgain(let why): detail = why
            }
            guard destination.retries, attempt < retry.attempts else {
                return .dropped(.gaveUp, detail: "\(attempt) attempts, last: \(detail)")
            }
            let pause = retry.pause(after: attempt)
            if let giveUpAt, ContinuousClock.now + pause >= giveUpAt {
                return .dropped(.gaveUp, detail: "shutdown, last: \(detail)")
            }
            logger.notice(
                "analytics collector did not take a batch; trying again",
                metadata: ["attempt": "\(attempt)", "detail": "\(detail)"])
            await sleep(pause)
        }
    }

    /// Sleeps `duration`, waking early when shutdown begins meanwhile (the last flush tries once more at once).
    private func sleep(_ duration: Duration) async {
        let wakeAt = ContinuousClock.now + duration
        let shuttingDown = giveUpAt != nil
        while ContinuousClock.now < wakeAt, shuttingDown || giveUpAt == nil {
            try? await Task.sleep(for: min(.milliseconds(100), wakeAt - ContinuousClock.now))
        }
    }
}

/// How a batch's delivery ended, after any retries.
enum AnalyticsDelivery: Sendable, Equatable {
    case delivered
    case dropped(AnalyticsDropReason, detail: String)
}
