import Foundation
import TestSupport
import Testing
import Vapor
import Vocabulary

@testable import Platform

/// What a live page's stream writes, collected as text.
private actor CollectingWriter: AsyncBodyStreamWriter {
    var written = ""

    func write(_ result: BodyStreamResult) async throws {
        if case .buffer(let buffer) = result { written += String(buffer: buffer) }
    }
}

@Suite("Live event stream")
struct LiveEventStreamTests {
    @Test("a slow access check does not close the stream: ticks never crowd out the events")
    func slowCheckKeepsStream() async throws {
        try await TestDatabase.withApplication { app, location in
            try app.useServiceDatabase(location, migrations: [])
            let hub = LiveEventHub(bufferSize: 4)
            var settings = LiveStreamSettings()
            settings.recheck = .milliseconds(1)
            // Each check takes a hundred ticks' time, as a busy database's session lookup can.
            let stream = LiveEventStream(
                hub: hub, store: LiveEventStore(database: app.serviceDatabase), topic: "sunrise", lastEventID: nil,
                settings: settings
            ) {
                try? await Task.sleep(for: .milliseconds(100))
                return true
            }
            let writer = CollectingWriter()
            let running = Task { try await stream.run(writer) }
            try await Task.sleep(for: .milliseconds(400))
            let event = LiveEvent(id: 7, topic: "sunrise", careRequest: .random())
            #expect(hub.publish(event))
            let expected = "id: 7\ndata: \(event.careRequest.wire)\n\n"
            for _ in 0..<100 where await !writer.written.contains(expected) {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(await writer.written.contains(expected))
            #expect(await !writer.written.contains("signed-out"))
            running.cancel()
            hub.finishAll()
            _ = try? await running.value
        }
    }
}
