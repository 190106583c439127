import Foundation
import Testing

@testable import Platform

@Suite("Analytics pipeline: queue, file and shutdown")
struct AnalyticsPipelineTests {
    @Test("the file gets one JSON line per message, readable back, and only its owner may read it")
    func oneLinePerMessage() async throws {
        let settings = testAnalyticsSettings(batchSize: 3)
        defer { try? FileManager.default.removeItem(at: settings.file!.deletingLastPathComponent()) }
        let pipeline = AnalyticsPipeline(settings: settings)
        let messages = analyticsMessages(1...7)
        for message in messages { await pipeline.send(message) }
        await pipeline.flush()

        #expect(try fileMessages(settings) == messages)
        let mode = try FileManager.default.attributesOfItem(atPath: settings.file!.path)[.posixPermissions]
        #expect((mode as? NSNumber)?.intValue == 0o600)
        #expect(await pipeline.delivered["file"] == 7)
    }

    @Test("two apps appending to the same file at once leave whole lines, every message once")
    func sharedFile() async throws {
        let settings = testAnalyticsSettings(batchSize: 5)
        defer { try? FileManager.default.removeItem(at: settings.file!.deletingLastPathComponent()) }
        let express = AnalyticsPipeline(settings: settings)
        let oss = AnalyticsPipeline(settings: settings)
        async let first: Void = {
            for message in analyticsMessages(1...60, app: .express) { await express.send(message) }
            await express.flush()
        }()
        async let second: Void = {
            for message in analyticsMessages(101...160, app: .oss) { await oss.send(message) }
            await oss.flush()
        }()
        _ = await (first, second)

        let written = try fileMessages(settings)
        #expect(written.count == 120)
        #expect(Set(written.map(\.messageId)).count == 120)
        #expect(
            written.filter { $0.context.app.name == "oss" }.map(\.messageId)
                == (101...160).map { String(format: "m%04d", $0) })
    }

    @Test("when the queue is full new messages are dropped, and /metrics counts how many")
    func fullQueueDrops() async throws {
        var settings = testAnalyticsSettings()
        settings.queueLimit = 5
        defer { try? FileManager.default.removeItem(at: settings.file!.deletingLastPathComponent()) }
        let labels = [#"app="console""#, #"destination="file""#, #"reason="queue_full""#]
        let before = metricValue("analytics_messages_dropped_total", labels)
        let pipeline = AnalyticsPipeline(settings: settings)
        for message in analyticsMessages(1...8, app: .console) { await pipeline.send(message) }

        #expect(await pipeline.dropped["file"] == [.queueFull: 3])
        #expect(metricValue("analytics_messages_dropped_total", labels) - before == 3)
        await pipeline.flush()
        #expect(try fileMessages(settings).map(\.messageId) == ["m0001", "m0002", "m0003", "m0004", "m0005"])
    }

    @Test("a message over 32 KB is dropped and counted; the others are delivered")
    func tooLargeMessage() async throws {
        let settings = testAnalyticsSettings()
        defer { try? FileManager.default.removeItem(at: settings.file!.deletingLastPathComponent()) }
        let pipeline = AnalyticsPipeline(settings: settings)
        var messages = analyticsMessages(1...3)
        messages[1].properties?["step"] = .string(String(repeating: "x", count: 40_000))
        for message in messages { await pipeline.send(message) }
        await pipeline.flush()

        #expect(await pipeline.dropped["file"] == [.tooLarge: 1])
        #expect(try fileMessages(settings).map(\.messageId) == ["m0001", "m0003"])
    }

    @Test("at shutdown the worker delivers a partial batch to the collector and the file")
    func shutdownFlushesPartialBatch() async throws {
        try await withTestCollector { url, collector in
            let settings = testAnalyticsSettings(collector: url, batchSize: 100)
            defer { try? FileManager.default.removeItem(at: settings.file!.deletingLastPathComponent()) }
            let pipeline = AnalyticsPipeline(settings: settings)
            for message in analyticsMessages(1...3) { await pipeline.send(message) }
            #expect(await collector.requests.isEmpty)

            let worker = pipeline.worker(named: "test analytics")
            await worker.atShutdown?()
            #expect(await collector.acceptedIDs == ["m0001", "m0002", "m0003"])
            let written = try fileMessages(settings)
            #expect(written.count == 3)
        }
    }

    @Test("repeating work runs its shutdown step once, after the loop has ended")
    func repeatingWorkShutdownStep() async throws {
        actor Log {
            var entries: [String] = []
            func add(_ entry: String) { entries.append(entry) }
        }
        let log = Log()
        let (passes, passed) = AsyncStream<Void>.makeStream()
        let work = RepeatingWork(
            "test", every: .seconds(3600),
            pass: {
                await log.add("pass")
                passed.yield()
            },
            atShutdown: { await log.add("shutdown") })
        let running = Task { try await work.run() }
        for await _ in passes { break }
        #expect(await log.entries == ["pass"])
        running.cancel()
        try await running.value
        #expect(await log.entries == ["pass", "shutdown"])
    }
}
