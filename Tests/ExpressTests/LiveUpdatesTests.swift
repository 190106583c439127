import AsyncHTTPClient
import ExpressDomain
import Fluent
import Foundation
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Express
@testable import Platform

/// Station's events reach Express (signed, once) and the partner's open pages (server-sent events, ids only).
@Suite("Live updates")
struct LiveUpdatesTests {
    typealias Harness = ExpressHarness

    static let sunrise = PartnerID(DemoPartners.sunriseID)
    static let mercy = PartnerID(DemoPartners.mercyID)

    static func event(
        _ id: Int64, _ partner: PartnerID?, careRequest: CareRequestID = .random(),
        type: CareRequestEvent.Kind = .statusChanged
    ) -> CareRequestEvent {
        CareRequestEvent(
            id: id, type: type, careRequest: careRequest, partner: partner,
            oldStatus: type == .created ? nil : .requested, newStatus: type == .created ? .requested : .accepted,
            window: nil, eta: nil, at: Date())
    }

    /// Posts `event` as Station pushes it, signed with `secret` (the harness's Station events secret by default).
    static func deliver(_ express: Harness, _ event: CareRequestEvent, secret: String? = nil) async throws
        -> TestingHTTPResponse
    {
        let envelope = CareRequestEventEnvelope(event)
        let body = try CareRequestEvent.encoder.encode(envelope)
        let now = Int(Date().timeIntervalSince1970)
        let signer = WebhookSignature(secret: secret ?? express.stationEventsSecret)
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.add(name: "webhook-id", value: envelope.messageID)
        headers.add(name: "webhook-timestamp", value: String(now))
        headers.add(name: "webhook-signature", value: signer.sign(id: envelope.messageID, timestamp: now, body: body))
        return try await express.app.testing().sendRequest(
            .POST, "/internal/v1/station-events", headers: headers, body: ByteBuffer(data: body))
    }

    @Test("Station's event needs its signature (no bearer token), is received once and reaches the open pages")
    func receiver() async throws {
        try await Harness.with { express in
            let pages = express.service.live.subscribe(Self.sunrise.wire)
            var heard = pages.events.makeAsyncIterator()
            let first = Self.event(1, Self.sunrise)

            let forged = try await Self.deliver(express, first, secret: express.webhookSecret)
            #expect(forged.status == .unauthorized)
            #expect(try await LiveEventModel.query(on: express.app.db).count() == 0)

            let received = try await Self.deliver(express, first)
            #expect(received.status == .noContent, "\(received.body.string)")
            #expect(try await Self.deliver(express, first).status == .noContent)
            #expect(try await WebhookReceiptModel.find("evt_1", on: express.app.db) != nil)
            let rows = try await LiveEventModel.query(on: express.app.db).all()
            #expect(rows.map(\.id) == [1])
            #expect(rows.first?.topic == Self.sunrise.wire)
            #expect(rows.first?.careRequestID == first.careRequest.rawValue)

            // A patient's own request has no partner page to update; it is still received.
            #expect(try await Self.deliver(express, Self.event(2, nil)).status == .noContent)
            #expect(try await WebhookReceiptModel.find("evt_2", on: express.app.db) != nil)
            #expect(try await LiveEventModel.query(on: express.app.db).count() == 1)

            // The repeat was not published again: the next thing the page hears is the next event.
            let third = Self.event(3, Self.sunrise)
            #expect(try await Self.deliver(express, third).status == .noContent)
            #expect(await heard.next() == LiveEvent(id: 1, topic: Self.sunrise.wire, careRequest: first.careRequest))
            #expect(await heard.next() == LiveEvent(id: 3, topic: Self.sunrise.wire, careRequest: third.careRequest))
            pages.cancel()
        }
    }

    @Test("the receipt acts on the event once: a repeated delivery queues no second email")
    func reactsOnce() async throws {
        try await Harness.with { express in
            try await express.choose("admin@sunrise.example", .partner)
            let event = Self.event(4, Self.sunrise)
            #expect(try await Self.deliver(express, event).status == .noContent)
            #expect(try await Self.deliver(express, event).status == .noContent)
            let mail = try await express.queuedMail()
            #expect(mail.map { $0.to.map(\.address) } == [["admin@sunrise.example"]])
        }
    }

    @Test("an event received by another instance reaches this instance's pages through the relay, once")
    func relayFromAnotherInstance() async throws {
        try await Harness.with { express in
            let thisInstance = LiveEventHub()
            let pages = thisInstance.subscribe(Self.sunrise.wire)
            let store = LiveEventStore(database: express.service.database)
            let relay = LiveEventRelay(hub: thisInstance, store: store)
            let event = Self.event(9, Self.sunrise)
            try await express.service.receive(event, webhookID: "evt_9")
            #expect(try await relay.relayNew() == 1)
            #expect(try await relay.relayNew() == 0)
            pages.cancel()
            var heard: [LiveEvent] = []
            for await event in pages.events { heard.append(event) }
            #expect(heard == [LiveEvent(id: 9, topic: Self.sunrise.wire, careRequest: event.careRequest)])
            #expect(try await store.prune(before: Date().addingTimeInterval(60)) == 1)
            #expect(try await store.events(topic: Self.sunrise.wire, after: 0).isEmpty)
        }
    }

    @Test("the same push twice acts once; the same event under another webhook-id adds no second row for it")
    func receivedOnce() async throws {
        try await Harness.with(station: .none) { express in
            let service = express.service
            let event = Self.event(11, Self.sunrise)
            #expect(try await service.receive(event, webhookID: "evt_11"))
            #expect(try await !service.receive(event, webhookID: "evt_11"))
            #expect(try await service.receive(event, webhookID: "evt_11-again"))
            let receipts = try await WebhookReceiptModel.query(on: service.db)
                .filter(\.$id ~~ ["evt_11", "evt_11-again"]).count()
            #expect(receipts == 2)
            #expect(try await LiveEventModel.query(on: service.db).filter(\.$id == 11).count() == 1)
            #expect(try await NotificationEventModel.query(on: service.db).filter(\.$id == 11).count() == 1)
            let kept = try await LiveEventStore(database: service.database).events(topic: Self.sunrise.wire, after: 0)
            #expect(kept == [LiveEvent(id: 11, topic: Self.sunrise.wire, careRequest: event.careRequest)])
        }
    }

    @Test("the other operations of the internal API still need a bearer token")
    func bearerStillRequired() async throws {
        try await Harness.with(station: .none) { express in
            var headers = HTTPHeaders()
            headers.contentType = .json
            let response = try await express.app.testing().sendRequest(
                .POST, "/internal/v1/identity-claims", headers: headers,
                body: ByteBuffer(string: #"{"email":"admin@sunrise.example"}"#))
            #expect(response.status == .unauthorized)
        }
    }

    @Test("the live stream carries only the user's partner's events, resumes after Last-Event-ID, ends at sign-out")
    func streamScopedAndResumed() async throws {
        try await Harness.with(station: .none) { express in
            let service = express.service
            let mine = CareRequestID.random()
            try await service.receive(Self.event(1, Self.sunrise), webhookID: "evt_1")
            try await service.receive(Self.event(2, Self.mercy), webhookID: "evt_2")
            try await service.receive(Self.event(3, Self.sunrise, careRequest: mine), webhookID: "evt_3")
            let browser = try await express.browser("scheduler@sunrise.example")
            try await LiveStreamClient.with(express, browser, lastEventID: "1") { stream in
                #expect(try await stream.nextEvent() == .init(id: "3", data: mine.wire))
                try await service.receive(Self.event(4, Self.mercy), webhookID: "evt_4")
                let later = CareRequestID.random()
                try await service.receive(Self.event(5, Self.sunrise, careRequest: later), webhookID: "evt_5")
                #expect(try await stream.nextEvent() == .init(id: "5", data: later.wire))
                _ = try await browser.post("/sign-out")
                #expect(try await stream.nextEvent() == .init(event: "signed-out", data: ""))
                #expect(try await stream.nextEvent() == nil)
            }
        }
    }

    @Test("a new request's event is named `created` on the stream (live and replayed), a change's is not")
    func createdEventNamed() async throws {
        try await Harness.with(station: .none) { express in
            let service = express.service
            let earlier = CareRequestID.random()
            try await service.receive(
                Self.event(1, Self.sunrise, careRequest: earlier, type: .created), webhookID: "evt_1")
            #expect(try await LiveEventModel.find(1, on: express.app.db)?.created == true)
            let browser = try await express.browser("viewer@sunrise.example")
            try await LiveStreamClient.with(express, browser, lastEventID: "0") { stream in
                #expect(try await stream.nextEvent() == .init(id: "1", event: "created", data: earlier.wire))
                let created = CareRequestID.random()
                try await service.receive(
                    Self.event(2, Self.sunrise, careRequest: created, type: .created), webhookID: "evt_2")
                #expect(try await stream.nextEvent() == .init(id: "2", event: "created", data: created.wire))
                try await service.receive(Self.event(3, Self.sunrise, careRequest: created), webhookID: "evt_3")
                #expect(try await stream.nextEvent() == .init(id: "3", data: created.wire))
                _ = try await browser.post("/sign-out")
                #expect(try await stream.nextEvent() == .init(event: "signed-out", data: ""))
            }
        }
    }

    @Test("two streams of one session are re-checked together and both end at its sign-out")
    func sharedRecheckEndsEveryStream() async throws {
        try await Harness.with(station: .none) { express in
            let browser = try await express.browser("scheduler@sunrise.example")
            try await LiveStreamClient.with(express, browser, lastEventID: nil) { first in
                var second = try await first.another(browser, lastEventID: nil)
                let id = CareRequestID.random()
                try await express.service.receive(Self.event(1, Self.sunrise, careRequest: id), webhookID: "evt_1")
                #expect(try await first.nextEvent() == .init(id: "1", data: id.wire))
                #expect(try await second.nextEvent() == .init(id: "1", data: id.wire))
                _ = try await browser.post("/sign-out")
                #expect(try await first.nextEvent() == .init(event: "signed-out", data: ""))
                #expect(try await second.nextEvent() == .init(event: "signed-out", data: ""))
                #expect(try await second.nextEvent() == nil)
            }
        }
    }

    @Test("a deactivated user's live stream ends")
    func streamEndsOnDeactivation() async throws {
        try await Harness.with(station: .none) { express in
            let browser = try await express.browser("viewer@sunrise.example")
            try await LiveStreamClient.with(express, browser, lastEventID: nil) { stream in
                let user = try #require(try await express.service.user(email: "viewer@sunrise.example"))
                user.active = false
                try await user.save(on: express.app.db)
                #expect(try await stream.nextEvent() == .init(event: "signed-out", data: ""))
                #expect(try await stream.nextEvent() == nil)
            }
        }
    }

    @Test("a changed row is fetched as a fragment, only for the user's partner, and audited")
    func rowFragment() async throws {
        try await Harness.with { express in
            let id = try await express.sunriseCareRequest()
            let sunrise = try await express.browser("scheduler@sunrise.example")
            let row = try await sunrise.get("/care-requests/\(id)/row")
            #expect(row.status == .ok)
            #expect(row.text.hasPrefix("<tr id=\"care-request-\(id)\" data-live-id=\"\(id)\""))
            #expect(row.text.contains("data-live-announce=\"Care request for "))
            #expect(try await express.audit("care_request.live_row").first?.outcome == "success")

            let summary = try await sunrise.get("/care-requests/\(id)/summary")
            #expect(summary.status == .ok)
            #expect(summary.text.contains("data-live-fragment=\"/care-requests/\(id)/summary\""))

            let mercy = try await express.browser("admin@mercy.example")
            #expect(try await mercy.get("/care-requests/\(id)/row").status == .notFound)
            #expect(try await express.audit("care_request.live_row").first?.outcome == "not_found")
        }
    }

    @Test("the list names its live stream and script, resuming after the newest event")
    func listOpensStream() async throws {
        try await Harness.with { express in
            try await express.service.receive(Self.event(7, Self.sunrise), webhookID: "evt_7")
            let page = try await express.browser("scheduler@sunrise.example").get("/care-requests")
            #expect(page.text.contains("data-live-source=\"/care-requests/live?after=7\""))
            #expect(page.text.contains("<script src=\"/live.js\" defer></script>"))
            #expect(page.text.contains("aria-live=\"polite\""))
            // The first page of current requests takes a new request's row at the top; the past tab does not.
            #expect(page.text.contains("<tbody data-live-insert=\"/care-requests/{id}/row\">"))
            let past = try await express.browser("scheduler@sunrise.example").get("/care-requests?tab=past")
            #expect(past.text.contains("data-live-source="))
            #expect(!past.text.contains("data-live-insert"))
            let script = try await express.app.testing().sendRequest(.GET, "/live.js")
            #expect(script.headers.contentType?.subType == "javascript")
        }
    }
}

/// Express's care-request stream over real HTTP (TestSupport's ``EventStreamClient`` with the browser's session
/// cookie), on a server started for the test.
struct LiveStreamClient {
    typealias Event = EventStreamClient.Event

    var stream: EventStreamClient
    let client: HTTPClient
    let port: Int

    static func with(
        _ express: ExpressHarness, _ browser: TestBrowser, lastEventID: String?,
        _ test: (inout LiveStreamClient) async throws -> Void
    ) async throws {
        let port = try await startOnAnyPort(express.app)
        let client = HTTPClient.forTests()
        do {
            var stream = try await open(client, port: port, browser, lastEventID: lastEventID)
            try await test(&stream)
        } catch {
            try? await client.shutdown()
            await express.app.server.shutdown()
            throw error
        }
        try await client.shutdown()
        await express.app.server.shutdown()
    }

    static func open(_ client: HTTPClient, port: Int, _ browser: TestBrowser, lastEventID: String?) async throws
        -> LiveStreamClient
    {
        var headers = [("Cookie", "express_session=\(browser.cookie("express_session") ?? "")")]
        if let lastEventID { headers.append(("Last-Event-ID", lastEventID)) }
        let stream = try await EventStreamClient.open(
            client, "http://127.0.0.1:\(port)/care-requests/live", headers: headers)
        #expect(stream.status == .ok)
        #expect(stream.contentType?.hasPrefix("text/event-stream") == true)
        return LiveStreamClient(stream: stream, client: client, port: port)
    }

    /// Another stream on the same server, e.g. a second tab of the same browser.
    func another(_ browser: TestBrowser, lastEventID: String?) async throws -> LiveStreamClient {
        try await Self.open(client, port: port, browser, lastEventID: lastEventID)
    }

    /// The next event with data, or nil when the stream ended.
    mutating func nextEvent() async throws -> Event? { try await stream.nextEvent() }
}
