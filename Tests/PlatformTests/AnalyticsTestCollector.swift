import Foundation
import TestSupport
import Vapor

@testable import Platform

/// One `POST` the test collector received, as it arrived.
struct CollectorRequest: Sendable {
    var path: String
    var authorization: String?
    var contentType: String?
    var sentAt: String?
    var messageIDs: [String]
    var answer: UInt
}

/// A Segment-compatible collector (`POST /v1/batch`) for tests: keeps every request in arrival order and answers
/// the nth (from 0) with `answer(n)`.
actor TestCollector {
    private(set) var requests: [CollectorRequest] = []
    private let answer: @Sendable (Int) -> HTTPResponseStatus

    init(answer: @escaping @Sendable (Int) -> HTTPResponseStatus) { self.answer = answer }

    /// The message ids of the batches the collector accepted, in order.
    var acceptedIDs: [String] { requests.filter { (200..<300).contains($0.answer) }.flatMap(\.messageIDs) }

    fileprivate func receive(_ request: Request) throws -> HTTPResponseStatus {
        struct Body: Decodable {
            var batch: [AnalyticsMessage]
            var sentAt: String?
        }
        let body = try AnalyticsMessage.makeDecoder().decode(Body.self, from: Data((request.body.string ?? "").utf8))
        let status = answer(requests.count)
        requests.append(
            CollectorRequest(
                path: request.url.path, authorization: request.headers.first(name: .authorization),
                contentType: request.headers.first(name: .contentType), sentAt: body.sentAt,
                messageIDs: body.batch.map(\.messageId), answer: status.code))
        return status
    }
}

/// Runs `body` with a test collector listening on a free port; `body` gets the collector's base URL.
func withTestCollector(
    answer: @escaping @Sendable (Int) -> HTTPResponseStatus = { _ in .ok },
    _ body: (URL, TestCollector) async throws -> Void
) async throws {
    let app = try await Application.make(.testing)
    let collector = TestCollector(answer: answer)
    app.on(.POST, "v1", "batch", body: .collect(maxSize: "1mb")) { request in
        Response(status: try await collector.receive(request))
    }
    try await serving(app) { port in try await body(URL(string: "http://127.0.0.1:\(port)")!, collector) }
}

extension AnalyticsRetry {
    /// For tests that count what the collector received: an attempt waits up to two minutes for its answer, so a
    /// machine busy with the rest of the suite (one CI run stalled loopback HTTP for about 30 s) cannot turn a slow
    /// answer into a second attempt, and the pauses between attempts are short.
    static let patient = AnalyticsRetry(
        base: .milliseconds(50), cap: .milliseconds(200), attempts: 3, timeout: .seconds(120))
}

/// Test messages numbered `range`, with message ids `m0001`….
func analyticsMessages(_ range: ClosedRange<Int>, app: AnalyticsApp = .express) -> [AnalyticsMessage] {
    range.map { number in
        AnalyticsMessage(
            type: .track, event: AnalyticsEventName.careRequestStarted.rawValue, userId: "user-\(number)",
            properties: [AnalyticsProperty.partnerID.rawValue: .string("partner-1")],
            context: AnalyticsContext(app: app), messageId: String(format: "m%04d", number),
            timestamp: Date(timeIntervalSince1970: 1_800_000_000 + Double(number)))
    }
}

/// Settings for a pipeline in a fresh temporary data directory (its file is `settings.file`).
func testAnalyticsSettings(collector: URL? = nil, batchSize: Int = 100) -> AnalyticsSettings {
    let directory = NSTemporaryDirectory() + "analytics-\(UUID())"
    var settings = AnalyticsSettings(dataDirectory: directory)
    settings.collectorURL = collector
    settings.writeKey = collector == nil ? nil : "wk_test_123"
    settings.batchSize = batchSize
    return settings
}

/// The JSON lines file's messages (none when it does not exist).
func fileMessages(_ settings: AnalyticsSettings) throws -> [AnalyticsMessage] {
    guard let file = settings.file, FileManager.default.fileExists(atPath: file.path) else { return [] }
    let decoder = AnalyticsMessage.makeDecoder()
    return try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map {
        try decoder.decode(AnalyticsMessage.self, from: Data($0.utf8))
    }
}

/// A counter's value in `/metrics` for the series carrying every one of `labels` (`key="value"`), 0 when absent.
func metricValue(_ name: String, _ labels: [String]) -> Double {
    let line = ServiceMetrics.exposition().split(separator: "\n").first { line in
        line.hasPrefix(name + "{") && labels.allSatisfy { line.contains($0) }
    }
    return line.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) } ?? 0
}
