import Analytics
import Foundation
import Logging

/// One app's analytics delivery. Each destination (the collector at ``AnalyticsSettings/collectorURL``, the JSON
/// lines file) has its own bounded queue, so a collector that is away never holds the file back: a batch leaves
/// when `batchSize` messages (or about 500 KB) wait, or at the latest at the worker's next pass, every
/// `flushInterval`. The collector's batches are retried with back-off in order; dropped messages are counted in
/// `/metrics`; at shutdown the worker delivers what is left, for at most ``shutdownGrace``.
package actor AnalyticsPipeline: AnalyticsSink {
    let settings: AnalyticsSettings
    let retry: AnalyticsRetry
    /// How long the last flush at shutdown may try the collector.
    let shutdownGrace: Duration
    var lanes: [AnalyticsLane]
    /// The running number of the last message sent.
    var lastSequence = 0
    /// Set when shutdown begins: retries stop here.
    var giveUpAt: ContinuousClock.Instant?
    var metrics = AnalyticsMetrics(app: "unknown")
    /// What was delivered and dropped, per destination, since start (the same figures `/metrics` adds up).
    private(set) var delivered: [String: Int] = [:]
    private(set) var dropped: [String: [AnalyticsDropReason: Int]] = [:]
    private let encoder = AnalyticsMessage.makeEncoder()
    let logger = Logger(label: "analytics")

    package init(settings: AnalyticsSettings, retry: AnalyticsRetry = .init()) {
        var destinations: [any AnalyticsDestination] = []
        if let url = settings.collectorURL, let key = settings.writeKey {
            destinations.append(CollectorDestination(url: url, writeKey: key))
        }
        if let file = settings.file { destinations.append(JSONLinesFile(file: file)) }
        self.init(settings: settings, destinations: destinations, retry: retry)
    }

    init(
        settings: AnalyticsSettings, destinations: [any AnalyticsDestination], retry: AnalyticsRetry = .init(),
        shutdownGrace: Duration = .seconds(5)
    ) {
        self.settings = settings
        self.retry = retry
        self.shutdownGrace = shutdownGrace
        lanes = destinations.map { AnalyticsLane(destination: $0) }
    }

    /// Queues the message for every destination and returns; a full batch starts on its way at once.
    package func send(_ message: AnalyticsMessage) {
        metrics.app = message.context.app.name
        guard let json = try? encoder.encode(message), json.count <= AnalyticsBatch.messageLimit else {
            logger.warning("analytics message over 32 KB dropped", metadata: ["event": "\(message.event ?? "")"])
            for lane in lanes { count(1, droppedFrom: lane.destination.name, because: .tooLarge) }
            return
        }
        lastSequence += 1
        for index in lanes.indices {
            guard lanes[index].queue.count < settings.queueLimit else {
                if !lanes[index].warnedFull {
                    lanes[index].warnedFull = true
                    logger.warning(
                        "analytics queue full: new messages are dropped",
                        metadata: ["destination": "\(lanes[index].destination.name)"])
                }
                count(1, droppedFrom: lanes[index].destination.name, because: .queueFull)
                continue
            }
            lanes[index].queue.append(QueuedAnalyticsMessage(sequence: lastSequence, json: json))
            // Once shutdown has begun no worker pass follows: every message leaves at once.
            if giveUpAt != nil { lanes[index].flushThrough = lastSequence }
            metrics.queueLength(lanes[index].queue.count, of: lanes[index].destination.name)
            if lanes[index].queue.hasFullBatch(size: settings.batchSize) || giveUpAt != nil { startDraining(index) }
        }
    }

    /// Delivers everything queued now, and returns when it has been delivered or dropped.
    package func flush() async {
        let through = lastSequence
        for index in lanes.indices { lanes[index].flushThrough = max(lanes[index].flushThrough, through) }
        await withTaskGroup(of: Void.self) { group in
            for index in lanes.indices { group.addTask { await self.finish(index, through: through) } }
        }
    }

    /// The background delivery while the app is served: every flush interval a partial batch starts on its way
    /// (without waiting for it), and at shutdown what is left is delivered, for at most ``shutdownGrace``.
    package nonisolated func worker(named name: String) -> RepeatingWork {
        RepeatingWork(
            name, every: settings.flushInterval, pass: { [self] in await startFlushing() },
            atShutdown: { [self] in await shutDown() })
    }

    /// Sends what is queued now without waiting for it.
    func startFlushing() {
        for index in lanes.indices {
            lanes[index].flushThrough = lastSequence
            if lanes[index].queue.holds(through: lastSequence) { startDraining(index) }
        }
    }

    /// The last flush: retries end `shutdownGrace` from now, and what the collector has not taken by then is
    /// counted as given up.
    func shutDown() async {
        if giveUpAt == nil { giveUpAt = ContinuousClock.now + shutdownGrace }
        await flush()
    }

    /// Waits until the lane holds nothing numbered `through` or lower, draining it as needed.
    private func finish(_ index: Int, through: Int) async {
        while true {
            if let draining = lanes[index].draining {
                await draining.value
            } else if lanes[index].queue.holds(through: through) {
                startDraining(index)
            } else {
                return
            }
        }
    }

    func count(_ number: Int, droppedFrom destination: String, because reason: AnalyticsDropReason) {
        dropped[destination, default: [:]][reason, default: 0] += number
        metrics.dropped(number, from: destination, because: reason)
    }

    func count(_ number: Int, deliveredTo destination: String) {
        delivered[destination, default: 0] += number
        metrics.sent(number, to: destination)
    }
}

/// One destination's queue and the task delivering from it (at most one, so batches leave in order).
struct AnalyticsLane: Sendable {
    let destination: any AnalyticsDestination
    var queue = AnalyticsQueue()
    /// Partial batches leave while a message numbered this or lower waits.
    var flushThrough = 0
    var draining: Task<Void, Never>?
    var warnedFull = false
}
