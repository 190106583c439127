import AsyncHTTPClient
import ConsoleDomain
import Fluent
import Foundation
import TestSupport
import Testing
import Vapor
import Vocabulary

@testable import Console
@testable import Platform
@testable import Station

/// Station's event feed reaches the open queue and board pages: followed with Console's machine token, stored for
/// replay, streamed to the signed-in staff member until they sign out.
@Suite("Console live updates")
struct LiveTests {
    /// One of the demo's open care requests, straight from Station's database.
    static func openCareRequest(_ station: Application) async throws -> UUID {
        let row = try await CareRequestModel.query(on: station.db).filter(\.$status == "requested").first()
        return try #require(row?.id)
    }

    @Test("the follower starts at Station's newest event, then stores and publishes each new one and moves on")
    func followerMovesCursor() async throws {
        try await ConsoleHarness.with(station: .real) { console in
            let station = try #require(console.station)
            let follower = console.follower
            #expect(try await follower.pass() == 0)
            let start = try #require(follower.position)
            #expect(
                try await LiveEventStore(database: console.service.database).latestID(topic: ConsoleLive.topic) == nil)

            let pages = console.service.live.subscribe(ConsoleLive.topic)
            var heard = pages.events.makeAsyncIterator()
            let id = try await Self.openCareRequest(station)
            _ = try await StationApp.setStatus(
                station, careRequest: id, to: "accepted", actor: "test", reason: nil, eta: nil)

            #expect(try await follower.pass() == 1)
            let moved = try #require(follower.position)
            #expect(moved > start)
            let stored = try await LiveEventStore(database: console.service.database).events(
                topic: ConsoleLive.topic, after: start)
            #expect(stored.map(\.careRequest) == [CareRequestID(id)])
            #expect(stored.map(\.id) == [moved])
            #expect(await heard.next()?.careRequest == CareRequestID(id))
            #expect(try await follower.pass() == 0)
            #expect(follower.position == moved)
            pages.cancel()
        }
    }

    @Test("another instance that stored the same event first does not stop this one")
    func secondInstanceSkipsStoredEvent() async throws {
        try await ConsoleHarness.with(station: .real) { console in
            let station = try #require(console.station)
            let follower = console.follower
            try await follower.pass()
            let start = try #require(follower.position)
            let id = try await Self.openCareRequest(station)
            _ = try await StationApp.setStatus(
                station, careRequest: id, to: "accepted", actor: "test", reason: nil, eta: nil)
            let otherInstance = LiveEvent(id: start + 1, topic: ConsoleLive.topic, careRequest: CareRequestID(id))
            let database = console.service.database
            try await database.write { db in try await LiveEventStore.record(otherInstance, receivedAt: Date(), on: db)
            }
            #expect(try await follower.pass() == 1)
            #expect(follower.position == start + 1)
        }
    }

    @Test("the live stream names its events by id only and ends with signed-out once the session is signed out")
    func streamEndsAtSignOut() async throws {
        try await ConsoleHarness.with(station: .stub(StubTransport("Station"))) { console in
            let browser = try await console.signIn(as: .dispatcher)
            let port = try await startOnAnyPort(console.app)
            let client = HTTPClient.forTests()
            do {
                var stream = try await EventStreamClient.open(
                    client, "http://127.0.0.1:\(port)/live",
                    headers: [("Cookie", "console_session=\(browser.cookie("console_session") ?? "")")])
                #expect(stream.status == .ok)
                #expect(stream.contentType?.hasPrefix("text/event-stream") == true)
                let changed = CareRequestID.random()
                console.service.live.publish(LiveEvent(id: 7, topic: ConsoleLive.topic, careRequest: changed))
                #expect(try await stream.nextEvent() == .init(id: "7", data: changed.wire))
                #expect(try await browser.post("/sign-out").status == .seeOther)
                #expect(try await stream.nextEvent() == .init(event: "signed-out", data: ""))
                #expect(try await stream.nextEvent() == nil)
            } catch {
                try? await client.shutdown()
                await console.app.server.shutdown()
                throw error
            }
            try await client.shutdown()
            await console.app.server.shutdown()
        }
    }

    /// Streamed here without an id (a reconnect resumes after Station's last event), stored for the other instances'
    /// relay, and kept apart from Station's feed position.
    @Test("a nurse's claim reaches every instance's open pages")
    func claimIsLive() async throws {
        let station = StubTransport("Station")
        let ada = TriageFixtures.Request(name: "Ada Alpha")
        TriageFixtures.stubDetail(station, ada)
        try await ConsoleHarness.with(station: .stub(station)) { console in
            let viewer = try await console.signIn(as: .dispatcher)
            let nurse = try await console.signIn(as: .nurse)
            let port = try await startOnAnyPort(console.app)
            let client = HTTPClient.forTests()
            do {
                var stream = try await EventStreamClient.open(
                    client, "http://127.0.0.1:\(port)/live?after=0",
                    headers: [("Cookie", "console_session=\(viewer.cookie("console_session") ?? "")")])
                #expect(try await nurse.post("/triage/\(ada.id.wire)/claim").status == .seeOther)
                #expect(try await stream.nextEvent() == .init(data: ada.id.wire))

                let store = LiveEventStore(database: console.service.database)
                let stored = try await store.events(topic: ConsoleLive.localTopic, after: Int64.min)
                #expect(stored.map(\.careRequest) == [ada.id])
                #expect(stored.map(\.isLocal) == [true])
                let otherInstance = LiveEventHub()
                let pages = otherInstance.subscribe(LiveEventHub.allTopics)
                var heard = pages.events.makeAsyncIterator()
                // The relay looks back a few seconds; a loaded machine may take longer than that between the claim
                // and here, and this checks what it finds, not how soon.
                var relay = LiveEventRelay(hub: otherInstance, store: store)
                relay.lookBack = 3600
                #expect(try await relay.relayNew() == 1)
                #expect(await heard.next()?.careRequest == ada.id)
                pages.cancel()
                #expect(try await store.latestID(topic: ConsoleLive.topic) == nil)
                #expect(try await viewer.post("/sign-out").status == .seeOther)
                #expect(try await stream.nextEvent() == .init(event: "signed-out", data: ""))
                #expect(try await stream.nextEvent() == nil)
            } catch {
                try? await client.shutdown()
                await console.app.server.shutdown()
                throw error
            }
            try await client.shutdown()
            await console.app.server.shutdown()
        }
    }

    @Test("a signed-out browser gets no stream")
    func streamNeedsSignIn() async throws {
        try await ConsoleHarness.with(station: .stub(StubTransport("Station"))) { console in
            let response = try await TestBrowser(app: console.app).get("/live")
            #expect(response.status == .seeOther)
        }
    }
}
