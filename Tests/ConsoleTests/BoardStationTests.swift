import ConsoleDomain
import Fluent
import Foundation
import TestSupport
import Testing
import Vapor
import Vocabulary

@testable import Console
@testable import Station

/// The board against a real Station, with the dispatcher's own token: the day's board, a move Station records as
/// the dispatcher's, the second of two racing moves refused, and a capacity cut below the bookings refused.
@Suite("Console dispatch board against Station")
struct BoardStationTests {
    /// A demo triage request that a nurse scheduled through Station into the market's next window (so Station
    /// reserved its place), and the board address of that market and day.
    static func bookedRequest(_ console: ConsoleHarness) async throws -> (CareRequestModel, String) {
        let station = try #require(console.station)
        let request = try #require(
            try await CareRequestModel.query(on: station.db).filter(\.$status == "pending_triage").first())
        let market = try #require(try await MarketModel.find(request.marketID, on: station.db))
        let schedule = market.schedule
        let today = try #require(LocalDate(Date(), in: schedule.timeZone))
        let last = try #require(today.adding(days: 3))
        let window = try #require(schedule.windows(from: today, to: last, notBefore: Date()).first)
        let body = try JSONSerialization.data(withJSONObject: [
            "outcome": "schedule", "note": "Booked for the board", "window_start": window.start.formatted(.iso8601),
            "window_end": window.end.formatted(.iso8601),
        ])
        var headers = HTTPHeaders()
        headers.bearerAuthorization = .init(token: try await console.stationToken(for: .nurse))
        headers.contentType = .json
        let id = try #require(request.id)
        let recorded = try await station.testing().sendRequest(
            .POST, "/v1/staff/care-requests/\(id.uuidString.lowercased())/triage-outcome", headers: headers,
            body: ByteBuffer(data: body))
        #expect(recorded.status == .ok)
        let booked = try #require(try await CareRequestModel.find(id, on: station.db))
        let day = try #require(LocalDate(window.start, in: schedule.timeZone))
        return (booked, "/board?market=\(market.id!.uuidString.lowercased())&date=\(day.iso)")
    }

    @Test("a dispatcher accepts a request from the board; a second dispatcher who saw it requested is told")
    func moveAndRace() async throws {
        try await ConsoleHarness.with(station: .real) { console in
            let station = try #require(console.station)
            let (request, address) = try await Self.bookedRequest(console)
            let id = try #require(request.id).uuidString.lowercased()
            let dee = try await console.signIn(as: .dispatcher)
            let board = try await dee.get(address)
            #expect(board.status == .ok)
            #expect(board.text.contains("id=\"request-\(id)\""))
            let query = try #require(URLComponents(string: address)?.queryItems)
            let form = [
                "move": "accept", "expected": "requested", "market": query[0].value!, "date": query[1].value!,
            ]
            let moved = try await dee.post("/board/requests/\(id)/move", form)
            #expect(moved.status == .seeOther)
            let last = try await StatusChangeModel.query(on: station.db).filter(\.$careRequestID == request.id!)
                .sort(\.$changedAt, .descending).first()
            #expect(last?.toStatus == "accepted" && last?.actor == StaffMember.dispatcher.id)

            var other = StaffMember.dispatcher
            other.id = "staff-dispatcher-2"
            other.name = "Dan Dispatcher"
            let late = try await console.signIn(as: other).post("/board/requests/\(id)/move", form)
            #expect(late.status == .conflict)
            #expect(late.text.contains("role=\"alert\""))
            #expect(late.text.contains("accepted"))
            // The fresh board: the request is accepted now, so schedule is its move.
            #expect(late.text.contains(#"name="expected" value="accepted""#))
        }
    }

    @Test("closing a window with bookings is refused, listing who is booked there")
    func capacityBelowBookings() async throws {
        try await ConsoleHarness.with(station: .real) { console in
            let station = try #require(console.station)
            let (request, address) = try await Self.bookedRequest(console)
            let patient = try #require(try await PatientModel.find(request.patientID, on: station.db))
            let query = try #require(URLComponents(string: address)?.queryItems)
            let page = try await console.signIn(as: .dispatcher).post(
                "/board/capacity",
                [
                    "market": query[0].value!, "date": query[1].value!,
                    "window_start": try #require(request.windowStart).formatted(.iso8601), "places": "0",
                ])
            #expect(page.status == .conflict)
            let listed = page.text.contains("Booked in this window:")
            let named = page.text.contains("<li>\(patient.givenName) \(patient.familyName)</li>")
            #expect(listed && named)
        }
    }
}
