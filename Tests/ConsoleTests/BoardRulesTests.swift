import ConsoleDomain
import Foundation
import Testing
import Vocabulary

@Suite struct BoardRulesTests {
    let denver = TimeZone(identifier: "America/Denver")!

    @Test func movesFollowStationsAllowedNext() {
        #expect(BoardMove.offered(for: [.archived, .accepted]) == [.accept, .archive])
        #expect(BoardMove.offered(for: [.scheduled, .archived]).map(\.label) == ["Schedule", "Archive"])
        #expect(BoardMove.offered(for: [.onRoute]).map(\.target) == [.onRoute])
        #expect(BoardMove.offered(for: []) == [])
        // Triage's move is the nurses', never a board button.
        #expect(BoardMove.offered(for: [.requested, .archived]) == [.archive])
        #expect(BoardMove.schedule.needsArrivalEstimate && !BoardMove.accept.needsArrivalEstimate)
        #expect(BoardMove.archive.needsReason && !BoardMove.complete.needsReason)
        for move in BoardMove.allCases { #expect(BoardMove(target: move.target) == move) }
    }

    @Test func arrivalEstimateIsMarketLocal() throws {
        let eta = try ArrivalEstimateForm(date: "2026-07-01", start: "09:30", end: "11:00").interval(in: denver)
        // Denver is UTC−6 in July.
        #expect(eta.start == ISO8601DateFormatter().date(from: "2026-07-01T15:30:00Z"))
        #expect(eta.duration == 90 * 60)
    }

    @Test func arrivalEstimateRefusesWhatItCannotSend() {
        func errors(_ date: String, _ start: String, _ end: String) -> BoardFormErrors? {
            do {
                _ = try ArrivalEstimateForm(date: date, start: start, end: end).interval(in: denver)
                return nil
            } catch { return error }
        }
        #expect(errors("2026-07-01", "11:00", "10:00")?[.etaEnd] == "The latest arrival must be after the earliest.")
        #expect(errors("2026-07-01", "10:00", "10:00")?[.etaEnd] != nil)
        #expect(errors("2026-07-01", "06:00", "18:01")?[.etaEnd] == "An arrival estimate may span at most 12 hours.")
        #expect(errors("2026-07-01", "06:00", "18:00") == nil)
        #expect(
            errors("07/01/2026", "24:00", "9")?.fields.keys.sorted { $0.rawValue < $1.rawValue } == [
                .etaDate, .etaEnd, .etaStart,
            ])
    }

    @Test func moveRequestNeedsEstimateOrReason() throws {
        #expect(throws: BoardFormErrors.self) {
            try BoardMoveRequest(move: .schedule, expected: .accepted, estimate: nil, reason: nil, timeZone: denver)
        }
        #expect {
            try BoardMoveRequest(move: .archive, expected: .requested, estimate: nil, reason: "  ", timeZone: denver)
        } throws: { ($0 as? BoardFormErrors)?[.reason] == "Say why the request is archived." }
        let archive = try BoardMoveRequest(
            move: .archive, expected: .requested, estimate: nil, reason: " duplicate \n", timeZone: denver)
        #expect(archive.target == .archived && archive.expected == .requested && archive.reason == "duplicate")
        let scheduled = try BoardMoveRequest(
            move: .schedule, expected: .accepted,
            estimate: ArrivalEstimateForm(date: "2026-07-01", start: "09:00", end: "10:00"), reason: nil,
            timeZone: denver)
        #expect(scheduled.eta?.duration == 3600 && scheduled.reason == nil)
        let accept = try BoardMoveRequest(
            move: .accept, expected: .requested, estimate: nil, reason: "x", timeZone: denver)
        #expect(accept.eta == nil && accept.reason == nil)
    }

    @Test func capacityIsZeroToAHundredPlaces() throws {
        #expect(try CapacityForm(places: "0").value() == 0)
        #expect(try CapacityForm(places: " 100 ").value() == 100)
        for bad in ["101", "-1", "", "two", "2.5"] {
            #expect(throws: BoardFormErrors.self) { try CapacityForm(places: bad).value() }
        }
    }

    @Test func dayNavigationIsMarketLocal() throws {
        // 03:00 UTC on 1 July is still 30 June in Denver.
        let now = try #require(ISO8601DateFormatter().date(from: "2026-07-01T03:00:00Z"))
        let today = try #require(BoardDay(query: nil, now: now, timeZone: denver))
        #expect(today.date.iso == "2026-06-30" && today.isToday(at: now))
        #expect(today.next?.date.iso == "2026-07-01" && today.previous?.date.iso == "2026-06-29")
        #expect(today.next?.isToday(at: now) == false)
        #expect(BoardDay(query: "2026-02-30", now: now, timeZone: denver) == nil)
        #expect(BoardDay(query: "2026-03-01", now: now, timeZone: denver)?.previous?.date.iso == "2026-02-28")
        let nine = try #require(today.instant(minutesAfterMidnight: 9 * 60))
        #expect(today.clockRange(DateInterval(start: nine, duration: 7200)) == "09:00–11:00")
    }
}
