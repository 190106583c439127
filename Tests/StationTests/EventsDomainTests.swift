import Foundation
import StationDomain
import Testing
import Vocabulary

@Suite("Events: the domain's rules")
struct EventsDomainTests {
    let request = CareRequestID.random()
    let partner = PartnerID.random()
    let at = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("a create is care_request.created with no old status; a move carries both statuses, window and ETA")
    func kinds() {
        let window = DateInterval(start: at, duration: 7200)
        let created = NewCareRequestEvent.created(request, partner: partner, status: .requested, window: window, at: at)
            .numbered(7)
        #expect(created.id == 7)
        #expect(created.type == .created)
        #expect(created.oldStatus == nil)
        #expect(created.newStatus == .requested)
        #expect(created.window == .init(start: at, end: at.addingTimeInterval(7200)))
        #expect(created.eta == nil)

        let eta = DateInterval(start: at.addingTimeInterval(600), duration: 1800)
        let moved = NewCareRequestEvent.statusChanged(
            request, partner: nil, from: .accepted, to: .scheduled, window: nil, eta: eta, at: at
        ).numbered(8)
        #expect(moved.type == .statusChanged)
        #expect(moved.partner == nil)
        #expect(moved.oldStatus == .accepted)
        #expect(moved.newStatus == .scheduled)
        #expect(moved.eta == .init(start: eta.start, end: eta.end))
        #expect(CareRequestEventEnvelope(moved).messageID == "evt_8")
    }

    @Test("the pushed envelope writes ids as lowercase wire text and reads back equal")
    func envelope() throws {
        let event = NewCareRequestEvent.created(request, partner: partner, status: .requested, window: nil, at: at)
            .numbered(3)
        let data = try CareRequestEvent.encoder.encode(CareRequestEventEnvelope(event))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""care_request_id":"\#(request.wire)""#))
        #expect(text.contains(#""partner_id":"\#(partner.wire)""#))
        #expect(!text.contains("old_status"))
        let decoded = try CareRequestEvent.decoder.decode(CareRequestEventEnvelope.self, from: data)
        #expect(decoded == CareRequestEventEnvelope(event))
    }

    @Test("the feed's page size is 1 to 500, 100 when not given")
    func limits() {
        #expect(EventFeed.limit(nil) == 100)
        #expect(EventFeed.limit(1) == 1)
        #expect(EventFeed.limit(500) == 500)
        #expect(EventFeed.limit(0) == nil)
        #expect(EventFeed.limit(501) == nil)
    }

    @Test("a page cuts at its limit, says whether more follow, and gives the cursor of the next")
    func pages() {
        let events = (11...14).map {
            NewCareRequestEvent.created(request, partner: partner, status: .requested, window: nil, at: at)
                .numbered(Int64($0))
        }
        let first = EventFeed.Page(after: 10, limit: 3, fetched: events)
        #expect(first.events.map(\.id) == [11, 12, 13])
        #expect(first.nextAfter == 13)
        #expect(first.hasMore)
        let last = EventFeed.Page(after: 13, limit: 3, fetched: Array(events.suffix(1)))
        #expect(last.events.map(\.id) == [14])
        #expect(!last.hasMore)
        let empty = EventFeed.Page(after: 14, limit: 3, fetched: [])
        #expect(empty.events.isEmpty)
        #expect(empty.nextAfter == 14)
        #expect(!empty.hasMore)
    }

    @Test("only machine clients naming no partner and staff read the feed")
    func reach() {
        func reach(_ tenant: Tenant, machine: Bool, partner: PartnerID? = nil) -> TokenReach {
            TokenReach(tenant: tenant, isMachine: machine, partnerID: partner, scopes: ["station.events.read"])
        }
        #expect(reach(.staff, machine: true).eventFeedRefusal == nil)
        #expect(reach(.staff, machine: false).eventFeedRefusal == nil)
        #expect(reach(.staff, machine: true, partner: partner).eventFeedRefusal != nil)
        #expect(reach(.express, machine: false, partner: partner).eventFeedRefusal != nil)
        #expect(reach(.express, machine: false).eventFeedRefusal != nil)
        #expect(reach(.patients, machine: true).eventFeedRefusal != nil)
    }

    @Test("subscribers are name=url pairs; a bad name, a repeated name or a non-http URL is refused")
    func subscribers() throws {
        let parsed = try EventSubscriber.parse("express=http://a.example/x, test_1=https://b.example:8443/hook")
        #expect(parsed.map(\.name) == ["express", "test_1"])
        #expect(parsed.last?.url.absoluteString == "https://b.example:8443/hook")
        #expect(try EventSubscriber.parse("").isEmpty)
        for bad in ["express", "ex press=http://a", "a=http://x,a=http://y", "a=ftp://x", "a=not a url", "=http://x"] {
            #expect(throws: EventSubscriber.Invalid.self) { try EventSubscriber.parse(bad) }
        }
        let defaults = EventSubscriber.defaults(expressURL: "http://e:1/", ossURL: "http://o:2")
        #expect(defaults.map(\.name) == ["express", "oss"])
        #expect(
            defaults.map(\.url.absoluteString) == [
                "http://e:1/internal/v1/station-events", "http://o:2/internal/v1/station-events",
            ])
    }
}
