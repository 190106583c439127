import Foundation
import NIOConcurrencyHelpers
import Vapor

/// How a live page's event stream behaves.
package struct LiveStreamSettings: Sendable {
    /// A comment line this often keeps proxies and browsers from timing the connection out.
    package var heartbeat: Duration = .seconds(15)
    /// How often the stream asks whether its viewer may still listen (besides on each event).
    package var recheck: Duration = .seconds(3)
    /// How long a browser waits before reconnecting.
    package var retry: Duration = .seconds(1)

    package init() {}
}

/// A server-sent events response for one viewer's topic: ids only (`id:` the event id, `data:` the care request
/// id, `event: created` for a new one). It first replays what the viewer missed after `lastEventID` (a reconnect's `Last-Event-ID`), then follows
/// the hub. It ends with an `event: signed-out` when `stillAllowed` says no (checked every `recheck` and before
/// each event), when the viewer falls too far behind (the browser reconnects and replays), or at shutdown.
package struct LiveEventStream: Sendable {
    package let hub: LiveEventHub
    package let store: LiveEventStore
    package let topic: String
    package let lastEventID: Int64?
    package let settings: LiveStreamSettings
    package let stillAllowed: @Sendable () async -> Bool

    package init(
        hub: LiveEventHub, store: LiveEventStore, topic: String, lastEventID: Int64?, settings: LiveStreamSettings,
        stillAllowed: @escaping @Sendable () async -> Bool
    ) {
        self.hub = hub
        self.store = store
        self.topic = topic
        self.lastEventID = lastEventID
        self.settings = settings
        self.stillAllowed = stillAllowed
    }

    package func response() -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "event-stream", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        // nginx: pass each event on at once instead of buffering the response.
        headers.replaceOrAdd(name: "X-Accel-Buffering", value: "no")
        return Response(status: .ok, headers: headers, body: .init(managedAsyncStream: { try await run($0) }))
    }

    private enum Wake: Sendable {
        case event(LiveEvent)
        case tick
    }

    func run(_ writer: any AsyncBodyStreamWriter) async throws {
        func send(_ text: String) async throws { try await writer.write(.buffer(ByteBuffer(string: text))) }
        let subscription = hub.subscribe(topic)
        let (wakes, wake) = AsyncStream.makeStream(of: Wake.self, bufferingPolicy: .bufferingOldest(hub.bufferSize))
        let forwarding = Task {
            for await event in subscription.events {
                if case .dropped = wake.yield(.event(event)) { break }
            }
            wake.finish()
        }
        let recheck = settings.recheck
        // At most one tick waits at a time: while a slow `stillAllowed` holds the loop, ticks would otherwise fill
        // the buffer that events need, and the next event would be dropped as if the viewer had fallen behind.
        let tickWaiting = NIOLockedValueBox(false)
        let ticking = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: recheck)
                let first = tickWaiting.withLockedValue { waiting in
                    defer { waiting = true }
                    return !waiting
                }
                if first { wake.yield(.tick) }
            }
        }
        defer {
            forwarding.cancel()
            ticking.cancel()
            subscription.cancel()
        }
        guard await stillAllowed() else { return try await send(Self.signedOut) }
        try await send("retry: \(settings.retry.components.seconds * 1000)\n\n")
        var replayed = Set<Int64>()
        if let lastEventID {
            for event in try await store.events(topic: topic, after: lastEventID) {
                replayed.insert(event.id)
                try await send(Self.message(event))
            }
        }
        var lastWrite = ContinuousClock.now
        for await next in wakes {
            guard await stillAllowed() else { return try await send(Self.signedOut) }
            switch next {
            case .event(let event):
                guard !replayed.contains(event.id) else { continue }
                try await send(Self.message(event))
                lastWrite = .now
            case .tick:
                tickWaiting.withLockedValue { $0 = false }
                guard ContinuousClock.now - lastWrite >= settings.heartbeat else { continue }
                try await send(": heartbeat\n\n")
                lastWrite = .now
            }
        }
    }

    /// An event's message: a creation is named `created` (a list may add the new item), a change has no name
    /// (the default `message` event), so a page that only refreshes what it shows needs no change. A local event
    /// (``LiveEvent/isLocal``) has no `id:`, which leaves the browser's last event id as it was.
    static func message(_ event: LiveEvent) -> String {
        "\(event.isLocal ? "" : "id: \(event.id)\n")\(event.created ? "event: \(createdEvent)\n" : "")"
            + "data: \(event.careRequest.wire)\n\n"
    }

    /// The SSE event name of a creation.
    package static let createdEvent = "created"

    static let signedOut = "event: signed-out\ndata: \n\n"
}
