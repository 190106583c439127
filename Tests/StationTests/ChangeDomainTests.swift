import Foundation
import StationDomain
import Testing
import Vocabulary

@Suite("A requester's change, as a rule")
struct ChangeDomainTests {
    static let denver = TimeZone(identifier: "America/Denver")!
    static let schedule = MarketSchedule(
        timeZone: denver, opensAt: 8 * 60, closesAt: 20 * 60, windowMinutes: 120, capacityPerWindow: 4)
    static let market = MarketID.random()
    /// Mon Dec 7 2026, 06:00 in Denver.
    static let now = Date(timeIntervalSince1970: 1_796_648_400)

    static func window(dayOffset: Int, hour: Int) -> DateInterval {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = denver
        let day = calendar.date(byAdding: .day, value: dayOffset, to: calendar.startOfDay(for: now))!
        return DateInterval(start: calendar.date(bySettingHour: hour, minute: 0, second: 0, of: day)!, duration: 7200)
    }

    static let target = RequesterChange.Target(market: market, name: "Denver", schedule: schedule)

    func check(_ change: RequesterChange, _ status: CareRequestStatus, window: DateInterval?) throws(RequesterChange
        .Refusal)
    {
        try change.check(.init(status: status, window: window, market: Self.market), target: Self.target, now: Self.now)
    }

    @Test("open until the team sets out; started on the way and there; ended when complete or archived")
    func closure() {
        for status in [CareRequestStatus.pendingTriage, .requested, .accepted, .scheduled] {
            #expect(RequesterChange.closure(of: status) == nil)
            #expect(RequesterChange.isOpen(status))
        }
        #expect(RequesterChange.closure(of: .onRoute) == .started(.onRoute))
        #expect(RequesterChange.closure(of: .onScene) == .started(.onScene))
        #expect(RequesterChange.closure(of: .complete) == .ended(.complete))
        #expect(RequesterChange.closure(of: .archived) == .ended(.archived))
    }

    @Test("a closed change says to call, with the number")
    func closedDetail() {
        for closed in [RequesterChange.Closed.started(.onRoute), .ended(.complete), .ended(.archived), .noWindow] {
            let detail = closed.detail(supportPhone: "(303) 555-0100")
            #expect(detail.contains("call us at (303) 555-0100"), "\(detail)")
        }
        #expect(RequesterChange.Closed.started(.onRoute).detail(supportPhone: "x").contains("on the way"))
    }

    @Test("a cancel is refused once started, allowed before, with or without a window")
    func cancel() throws {
        let change = RequesterChange.cancel(.hospitalized, note: nil)
        try check(change, .pendingTriage, window: nil)
        try check(change, .scheduled, window: Self.window(dayOffset: 1, hour: 8))
        #expect(throws: RequesterChange.Refusal.closed(.started(.onRoute))) {
            try check(change, .onRoute, window: Self.window(dayOffset: 1, hour: 8))
        }
        #expect(change.nextStatus(from: .accepted) == .archived)
    }

    @Test("a reschedule needs a current window, another window, and one the market publishes ahead")
    func reschedule() throws {
        let current = Self.window(dayOffset: 1, hour: 8)
        let other = Self.window(dayOffset: 2, hour: 10)
        try check(.reschedule(to: other, visitAddress: nil), .requested, window: current)
        #expect(throws: RequesterChange.Refusal.closed(.noWindow)) {
            try check(.reschedule(to: other, visitAddress: nil), .pendingTriage, window: nil)
        }
        #expect(throws: RequesterChange.Refusal.closed(.started(.onScene))) {
            try check(.reschedule(to: other, visitAddress: nil), .onScene, window: current)
        }
        func refusedField(_ window: DateInterval) -> [String] {
            do {
                try check(.reschedule(to: window, visitAddress: nil), .accepted, window: current)
                return []
            } catch .invalid(let errors) {
                return errors.entries.map(\.field)
            } catch {
                return ["closed"]
            }
        }
        #expect(refusedField(current) == ["time_window"])
        #expect(refusedField(Self.window(dayOffset: 0, hour: 9)) == ["time_window"]) // not on the grid
        #expect(refusedField(Self.window(dayOffset: 30, hour: 8)) == ["time_window"]) // past the horizon
        #expect(
            refusedField(DateInterval(start: Self.now.addingTimeInterval(-7200), duration: 7200)) == ["time_window"])
    }

    @Test("the same window in another market is a move")
    func sameWindowOtherMarket() throws {
        let current = Self.window(dayOffset: 1, hour: 8)
        try RequesterChange.reschedule(to: current, visitAddress: nil).check(
            .init(status: .requested, window: current, market: .random()), target: Self.target, now: Self.now)
    }

    @Test("a scheduled request that moves goes back to accepted; others keep their status")
    func nextStatus() {
        let change = RequesterChange.reschedule(to: Self.window(dayOffset: 1, hour: 8), visitAddress: nil)
        #expect(change.nextStatus(from: .scheduled) == .accepted)
        #expect(change.nextStatus(from: .requested) == .requested)
        #expect(change.nextStatus(from: .accepted) == .accepted)
    }

    @Test("the history says why, in the market's time")
    func historyReason() {
        #expect(
            RequesterChange.cancel(.noLongerNeeded, note: "  ").historyReason(from: nil, in: .gmt)
                == "Cancelled: The visit is no longer needed")
        #expect(
            RequesterChange.cancel(.other, note: "Moved away").historyReason(from: nil, in: .gmt)
                == "Cancelled: Another reason. Moved away")
        let change = RequesterChange.reschedule(to: Self.window(dayOffset: 1, hour: 14), visitAddress: nil)
        #expect(
            change.historyReason(from: Self.window(dayOffset: 0, hour: 8), in: Self.denver)
                == "Rescheduled from Mon Dec 7, 08:00–10:00 to Tue Dec 8, 14:00–16:00 (America/Denver)")
        #expect(
            change.historyReason(from: Self.window(dayOffset: 0, hour: 8), in: Self.denver, newMarket: "Phoenix")
                .hasSuffix(", to a new visit address in the Phoenix market"))
    }

    @Test("a note and a new address are checked as text and address")
    func validate() {
        #expect(throws: FieldErrors.self) {
            try RequesterChange.cancel(.other, note: String(repeating: "a", count: 501)).validate()
        }
        #expect(throws: FieldErrors.self) {
            try RequesterChange.reschedule(
                to: Self.window(dayOffset: 1, hour: 8),
                visitAddress: Address(line1: "", city: "Denver", state: "Colorado", zip: "80")
            ).validate()
        }
        #expect(throws: Never.self) { try RequesterChange.cancel(.other, note: "Line one\nline two").validate() }
    }

    @Test("change events carry ids, statuses and windows only")
    func events() {
        let id = CareRequestID.random()
        let window = Self.window(dayOffset: 1, hour: 8)
        let moved = NewCareRequestEvent.rescheduled(
            id, partner: nil, from: .scheduled, to: .accepted, window: window, eta: nil, at: Self.now)
        #expect(moved.type == .rescheduled)
        #expect(moved.window == .init(window))
        #expect((moved.oldStatus, moved.newStatus) == (.scheduled, .accepted))
        let cancelled = NewCareRequestEvent.cancelled(id, partner: nil, from: .requested, window: window, at: Self.now)
        #expect(cancelled.type == .cancelled)
        #expect(cancelled.newStatus == .archived)
    }
}

@Suite("Care request search, as a rule")
struct CareRequestSearchDomainTests {
    @Test("name words fold case, accents and punctuation")
    func words() {
        let search = CareRequestSearch(patientName: "  Ëlëanor   Whit-field, ")
        #expect(search.nameWords == ["eleanor", "whitfield"])
        #expect(search.nameKey == "eleanorwhitfield")
    }

    @Test("an empty range, a name of punctuation only, and statuses outside the phase are refused")
    func refusals() {
        let now = Date()
        func fields(_ search: CareRequestSearch) -> [String] {
            do {
                try search.validate()
                return []
            } catch {
                return error.entries.map(\.field)
            }
        }
        #expect(fields(CareRequestSearch(createdFrom: now, createdBefore: now)) == ["created_before"])
        #expect(fields(CareRequestSearch(patientName: "--")) == ["patient_name"])
        #expect(fields(CareRequestSearch(phase: .past, statuses: [.requested])) == ["statuses"])
        #expect(fields(CareRequestSearch(phase: .past, statuses: [.requested, .archived])) == [])
        #expect(fields(CareRequestSearch(createdFrom: now, createdBefore: now.addingTimeInterval(1))) == [])
    }
}
