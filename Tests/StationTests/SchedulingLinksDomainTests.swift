import Foundation
import StationDomain
import Testing
import Vocabulary

@Suite("Scheduling links: slot rules, _since and cache validators")
struct SchedulingLinksDomainTests {
    static let denver = TimeZone(identifier: "America/Denver")!
    static let schedule = MarketSchedule(
        timeZone: denver, opensAt: 8 * 60, closesAt: 12 * 60, windowMinutes: 120, capacityPerWindow: 3)
    static let market = MarketID.random()
    /// Monday, November 30 2026, 09:00 in Denver: the 08:00 window has begun, the 10:00 one has not.
    static let now = ISO8601DateFormatter().date(from: "2026-11-30T16:00:00Z")!

    static func windows(
        closed: Set<LocalDate> = [], reservations: [Date: WindowReservation] = [:], changed: Date? = nil
    ) -> [PublishedWindow] {
        SlotPublishing.windows(
            market: market, schedule: schedule, now: now, closedDays: closed, reservations: reservations,
            marketChangedAt: changed)
    }

    @Test("every window of today and the next 14 days that has not begun is published, free with all its places")
    func horizon() throws {
        let windows = Self.windows()
        #expect(windows.count == 1 + 14 * 2)
        let first = try #require(windows.first)
        #expect(first.slot.start == ISO8601DateFormatter().date(from: "2026-11-30T17:00:00Z"))
        #expect(first.slot.market == Self.market)
        #expect(first.end == first.slot.start.addingTimeInterval(7200))
        #expect(windows.allSatisfy { $0.isFree && $0.remaining == 3 })
        #expect(windows.last.flatMap { LocalDate($0.slot.start, in: Self.denver) }?.iso == "2026-12-14")
    }

    @Test("a booked window shows the places left; a full one is busy; a closed day is busy with none")
    func places() throws {
        let start = ISO8601DateFormatter().date(from: "2026-12-01T15:00:00Z")!
        let full = start.addingTimeInterval(7200)
        let windows = Self.windows(
            closed: [LocalDate(year: 2026, month: 12, day: 3)!],
            reservations: [
                start: WindowReservation(capacity: 3, booked: 1), full: WindowReservation(capacity: 2, booked: 2),
            ])
        let booked = try #require(windows.first { $0.slot.start == start })
        #expect(booked.remaining == 2 && booked.isFree)
        let busy = try #require(windows.first { $0.slot.start == full })
        #expect(busy.remaining == 0 && !busy.isFree)
        let closed = windows.filter { LocalDate($0.slot.start, in: Self.denver)?.iso == "2026-12-03" }
        #expect(closed.count == 2)
        #expect(closed.allSatisfy { $0.closed && !$0.isFree && $0.remaining == 0 })
    }

    @Test("a slot last changed with its reservation, its market, or when its day entered the horizon")
    func lastUpdated() throws {
        let f = ISO8601DateFormatter()
        let start = f.date(from: "2026-12-01T15:00:00Z")!
        let booking = f.date(from: "2026-11-30T15:30:00Z")!
        let windows = Self.windows(
            reservations: [start: WindowReservation(capacity: 3, booked: 1, updatedAt: booking)],
            changed: f.date(from: "2026-11-20T10:00:00Z"))
        #expect(windows.first { $0.slot.start == start }?.lastUpdated == booking)
        // December 14 entered at Denver's midnight of November 30; earlier days at the market's change.
        let last = try #require(windows.last)
        #expect(last.lastUpdated == f.date(from: "2026-11-30T07:00:00Z"))
        #expect(windows.first?.lastUpdated == f.date(from: "2026-11-20T10:00:00Z"))
        #expect(SlotPublishing.lastExpiry(of: Self.schedule, now: Self.now) == f.date(from: "2026-11-30T15:00:00Z"))
    }

    @Test("_since takes an instant with its zone, fractional seconds, or a + decoded as a space; nothing else")
    func since() throws {
        let f = ISO8601DateFormatter()
        #expect(BulkSince(text: "2026-11-30T21:00:00Z")?.instant == f.date(from: "2026-11-30T21:00:00Z"))
        #expect(BulkSince(text: "2026-11-30T14:00:00-07:00")?.instant == f.date(from: "2026-11-30T21:00:00Z"))
        #expect(BulkSince(text: "2026-11-30T23:00:00 02:00")?.instant == f.date(from: "2026-11-30T21:00:00Z"))
        let fractional = try #require(BulkSince(text: "2026-11-30T21:00:00.250Z"))
        #expect(fractional.instant == f.date(from: "2026-11-30T21:00:00Z")!.addingTimeInterval(0.25))
        for bad in ["yesterday", "2026-11-30", "2026-11-30T21:00:00", "2026-13-30T21:00:00Z", ""] {
            #expect(BulkSince(text: bad) == nil, "\(bad)")
        }
        let since = BulkSince(f.date(from: "2026-11-30T21:00:00Z")!)
        #expect(since.includes(since.instant.addingTimeInterval(0.001)))
        #expect(!since.includes(since.instant))
    }

    @Test("the ETag follows the bytes; If-None-Match decides before If-Modified-Since")
    func validators() {
        let changed = ISO8601DateFormatter().date(from: "2026-11-30T21:00:00Z")!.addingTimeInterval(0.7)
        let a = HTTPValidators(body: "{\"a\":1}\n", lastModified: changed)
        #expect(a == HTTPValidators(body: "{\"a\":1}\n", lastModified: changed))
        #expect(a.etag != HTTPValidators(body: "{\"a\":2}\n", lastModified: changed).etag)
        #expect(a.etag.hasPrefix("\"") && a.etag.hasSuffix("\""))
        #expect(a.lastModifiedText == "Mon, 30 Nov 2026 21:00:00 GMT")

        #expect(a.isNotModified(ifNoneMatch: a.etag, ifModifiedSince: nil))
        #expect(a.isNotModified(ifNoneMatch: "\"other\", W/\(a.etag)", ifModifiedSince: nil))
        #expect(a.isNotModified(ifNoneMatch: "*", ifModifiedSince: nil))
        #expect(!a.isNotModified(ifNoneMatch: "\"other\"", ifModifiedSince: a.lastModifiedText))
        #expect(a.isNotModified(ifNoneMatch: nil, ifModifiedSince: "Mon, 30 Nov 2026 21:00:00 GMT"))
        #expect(!a.isNotModified(ifNoneMatch: nil, ifModifiedSince: "Mon, 30 Nov 2026 20:59:59 GMT"))
        #expect(!a.isNotModified(ifNoneMatch: nil, ifModifiedSince: "not a date"))
        #expect(!a.isNotModified(ifNoneMatch: nil, ifModifiedSince: nil))
    }
}
