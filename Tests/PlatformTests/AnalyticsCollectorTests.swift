import Foundation
import Testing
import Vapor

@testable import Platform

@Suite("Analytics pipeline: delivery to a Segment-compatible collector")
struct AnalyticsCollectorTests {
    @Test("batches go to POST /v1/batch as JSON with the write key as Basic auth and a sentAt")
    func authenticatedBatch() async throws {
        try await withTestCollector { url, collector in
            let pipeline = AnalyticsPipeline(settings: testAnalyticsSettings(collector: url), retry: .patient)
            for message in analyticsMessages(1...3) { await pipeline.send(message) }
            await pipeline.flush()

            let requests = await collector.requests
            #expect(requests.count == 1)
            let request = try #require(requests.first)
            #expect(request.path == "/v1/batch")
            #expect(request.authorization == "Basic \(Data("wk_test_123:".utf8).base64EncodedString())")
            #expect(request.contentType == "application/json")
            #expect(request.sentAt?.isEmpty == false)
            #expect(request.messageIDs == ["m0001", "m0002", "m0003"])
        }
    }

    @Test("250 messages with a batch size of 100 arrive as batches of 100, 100 and 50, in the order sent")
    func batchesInOrder() async throws {
        try await withTestCollector { url, collector in
            let pipeline = AnalyticsPipeline(
                settings: testAnalyticsSettings(collector: url, batchSize: 100), retry: .patient)
            let messages = analyticsMessages(1...250)
            for message in messages { await pipeline.send(message) }
            await pipeline.flush()

            let requests = await collector.requests
            #expect(requests.map(\.messageIDs.count) == [100, 100, 50])
            #expect(requests.flatMap(\.messageIDs) == messages.map(\.messageId))
        }
    }

    @Test("a batch answered with 500 is sent again with the same message ids; nothing is lost or doubled")
    func retriesAfterServerError() async throws {
        try await withTestCollector(answer: { $0 == 0 ? .internalServerError : .ok }) { url, collector in
            let settings = testAnalyticsSettings(collector: url, batchSize: 4)
            let pipeline = AnalyticsPipeline(settings: settings, retry: .patient)
            let messages = analyticsMessages(1...10)
            for message in messages { await pipeline.send(message) }
            await pipeline.flush()

            let requests = await collector.requests
            #expect(requests.first?.answer == 500)
            #expect(requests.dropFirst().first?.messageIDs == requests.first?.messageIDs)
            #expect(await collector.acceptedIDs == messages.map(\.messageId))
            #expect(await pipeline.delivered["collector"] == 10)
            #expect(await pipeline.dropped["collector"] == nil)
        }
    }

    @Test("a batch refused with another 4xx is dropped and counted; the next batch and the file still get theirs")
    func refusedBatchIsDropped() async throws {
        try await withTestCollector(answer: { $0 == 0 ? .badRequest : .ok }) { url, collector in
            let settings = testAnalyticsSettings(collector: url, batchSize: 1)
            let pipeline = AnalyticsPipeline(settings: settings, retry: .patient)
            let before = metricValue(
                "analytics_messages_dropped_total", [#"app="oss""#, #"destination="collector""#, #"reason="rejected""#])
            for message in analyticsMessages(1...2, app: .oss) { await pipeline.send(message) }
            await pipeline.flush()

            #expect(await collector.requests.map(\.answer) == [400, 200])
            #expect(await collector.acceptedIDs == ["m0002"])
            #expect(await pipeline.dropped["collector"] == [.rejected: 1])
            let after = metricValue(
                "analytics_messages_dropped_total", [#"app="oss""#, #"destination="collector""#, #"reason="rejected""#])
            #expect(after - before == 1)
            let written = try fileMessages(settings)
            #expect(written.map(\.messageId) == ["m0001", "m0002"])
        }
    }

    @Test("at shutdown a collector that keeps failing is given up on, counted, and the file keeps the messages")
    func givesUpAtShutdown() async throws {
        try await withTestCollector(answer: { _ in .serviceUnavailable }) { url, collector in
            let settings = testAnalyticsSettings(collector: url)
            let pipeline = AnalyticsPipeline(
                settings: settings,
                destinations: [
                    CollectorDestination(url: url, writeKey: "wk_test_123"), JSONLinesFile(file: settings.file!),
                ],
                retry: AnalyticsRetry(base: .milliseconds(10), cap: .milliseconds(50), attempts: 1_000),
                shutdownGrace: .milliseconds(300))
            for message in analyticsMessages(1...3) { await pipeline.send(message) }
            // The batch is on its way (and refused) before shutdown begins, however busy the machine is.
            await pipeline.startFlushing()
            for _ in 0..<1_000 where await collector.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
            await pipeline.shutDown()

            let requests = await collector.requests
            #expect(!requests.isEmpty)
            #expect(Set(requests.map(\.messageIDs)) == [["m0001", "m0002", "m0003"]])
            #expect(await pipeline.dropped["collector"] == [.gaveUp: 3])
            let written = try fileMessages(settings)
            #expect(written.count == 3)
        }
    }

    @Test("the collector's URL gets /v1/batch unless it names that path already")
    func batchEndpoint() throws {
        func endpoint(_ text: String) -> String { CollectorDestination.batchEndpoint(URL(string: text)!) }
        #expect(endpoint("https://api.segment.io") == "https://api.segment.io/v1/batch")
        #expect(endpoint("https://collector.example/") == "https://collector.example/v1/batch")
        #expect(endpoint("https://collector.example/rudder") == "https://collector.example/rudder/v1/batch")
        #expect(endpoint("https://collector.example/v1/batch") == "https://collector.example/v1/batch")
    }
}
