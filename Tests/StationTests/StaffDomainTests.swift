import Foundation
import StationDomain
import Testing
import Vocabulary

@Suite("Triage and board rules")
struct StaffDomainTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    var window: DateInterval { DateInterval(start: start, duration: 7200) }

    @Test("an outcome reads the nurse's form: the status, the window, and the history's reason")
    func outcomes() throws {
        let scheduled = try TriageOutcome(
            kind: .schedule, note: " Visit today ", windowStart: start, windowEnd: window.end, reasonCode: nil)
        #expect(scheduled == .schedule(window: window, note: "Visit today"))
        #expect(scheduled.status == .requested && scheduled.window == window && scheduled.reason == "Visit today")
        let emergency = try TriageOutcome(
            kind: .emergency, note: "Called 911", windowStart: nil, windowEnd: nil, reasonCode: nil)
        #expect(emergency.status == .archived && emergency.window == nil)
        #expect(emergency.reason == "emergency_care: Called 911")
        let closed = try TriageOutcome(
            kind: .close, note: "Declined", windowStart: nil, windowEnd: nil, reasonCode: "Patient_Declined")
        #expect(closed.reason == "patient_declined: Declined")
    }

    @Test("an outcome names every missing or bad field at once")
    func badOutcomes() {
        func fields(_ kind: TriageOutcome.Kind, note: String, start: Date?, end: Date?, code: String?) -> [String] {
            do {
                _ = try TriageOutcome(kind: kind, note: note, windowStart: start, windowEnd: end, reasonCode: code)
                return []
            } catch {
                return error.entries.map(\.field)
            }
        }
        #expect(fields(.schedule, note: "", start: nil, end: nil, code: nil) == ["note", "window_start", "window_end"])
        #expect(fields(.schedule, note: "ok", start: start, end: start, code: nil) == ["window_end"])
        #expect(fields(.close, note: "ok", start: nil, end: nil, code: nil) == ["reason_code"])
        #expect(fields(.close, note: "ok", start: nil, end: nil, code: "no way!") == ["reason_code"])
        #expect(
            fields(.emergency, note: String(repeating: "a", count: 2001), start: nil, end: nil, code: nil) == ["note"])
    }

    var schedule: MarketSchedule {
        MarketSchedule(
            timeZone: TimeZone(identifier: "America/Denver")!, opensAt: 8 * 60, closesAt: 20 * 60, windowMinutes: 120,
            capacityPerWindow: 4)
    }

    @Test("a capacity change names a window of the schedule and stays within 0…100; it keeps every booking")
    func capacity() throws {
        let day = try #require(LocalDate(iso: "2027-03-01"))
        let windows = schedule.windows(on: day)
        let change = try WindowCapacity(windowStart: windows[1].start, capacity: 0, schedule: schedule)
        #expect(change.window == windows[1])
        #expect(change.keeps(booked: 0) && !change.keeps(booked: 1))
        #expect(throws: FieldErrors.self) {
            try WindowCapacity(windowStart: windows[1].start.addingTimeInterval(60), capacity: 1, schedule: schedule)
        }
        #expect(throws: FieldErrors.self) {
            try WindowCapacity(windowStart: windows[0].start, capacity: 101, schedule: schedule)
        }
    }

    @Test("the board puts each request in the window its booking starts in; no window or none that fits is unscheduled")
    func layout() throws {
        let day = try #require(LocalDate(iso: "2027-03-01"))
        let windows = schedule.windows(on: day)
        typealias Item = (name: String, window: DateInterval?, status: CareRequestStatus)
        let items: [Item] = [
            ("booked", windows[2], .accepted),
            ("late start", DateInterval(start: windows[3].start.addingTimeInterval(1800), duration: 3600), .scheduled),
            ("no window", nil, .requested),
            ("waiting for a nurse", nil, .pendingTriage),
            ("done", windows[2], .complete),
            (
                "closed elsewhere", DateInterval(start: windows[0].start.addingTimeInterval(-86_400), duration: 60),
                .archived
            ),
        ]
        let layout = BoardLayout(windows: windows, items: items, window: { $0.window }, status: { $0.status })
        #expect(layout.windows.count == windows.count)
        #expect(layout.windows[2].items.map(\.name) == ["booked", "done"])
        #expect(layout.windows[3].items.map(\.name) == ["late start"])
        #expect(layout.unscheduled.map(\.name) == ["no window"])
        #expect(CareRequestStatus.requested.boardMoves == [.accepted, .archived])
        let span = try #require(day.interval(in: schedule.timeZone))
        #expect(span.duration == 86_400 && span.contains(windows[0].start) && span.contains(windows.last!.end))
        let springForward = try #require(LocalDate(iso: "2027-03-14")?.interval(in: schedule.timeZone))
        #expect(springForward.duration == 23 * 3600)
        #expect(CareRequestStatus.complete.boardMoves.isEmpty)
    }

    @Test("a conflict tells the status now and who moved it when, in the market's time")
    func conflict() throws {
        let zone = try #require(TimeZone(identifier: "America/Denver"))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let at = try #require(calendar.date(from: DateComponents(year: 2027, month: 3, day: 1, hour: 10, minute: 42)))
        let conflict = StatusConflict(
            current: .onRoute,
            lastChange: StatusChange(
                from: .scheduled, to: .onRoute, actor: "Dee Dispatcher", reason: nil, changedAt: at),
            timeZone: zone)
        #expect(
            conflict.detail
                == "This care request is on_route now: Dee Dispatcher moved it there at 10:42 (America/Denver).")
        #expect(
            StatusConflict(current: .accepted, lastChange: nil, timeZone: zone).detail
                == "This care request is accepted now.")
    }
}
