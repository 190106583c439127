import Foundation
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Station

@Suite("Administration: closures")
struct AdminClosureTests {
    @Test("a closed day publishes no windows and refuses bookings; opening it again brings them back")
    func closedDay() async throws {
        try await StationHarness.with { station in
            let market = try await station.boulder()
            let alpine = try await station.alpine(markets: [market])
            let window = try #require(try await station.firstWindow(of: market, plus: 4))
            let day = try Fixtures.denverDay(plus: 4)

            let closed = try await station.admin(
                .PUT, "/v1/admin/markets/\(market)/closures/\(day)", json: #"{"reason":"Thanksgiving"}"#)
            #expect(closed.status == .ok, "\(closed.text)")
            #expect(closed.object["reason"] as? String == "Thanksgiving")
            #expect(try await station.firstWindow(of: market, plus: 4) == nil)
            #expect(try await station.firstWindow(of: market, plus: 3) != nil)
            let list = try await station.admin(.GET, "/v1/admin/markets/\(market)/closures")
            #expect(list.array.map { $0["date"] as? String } == [day])

            let booking = try await station.book(alpine.patient, of: alpine.partner, zip: "80301", window: window)
            #expect(booking.status == .unprocessableEntity)
            #expect(AdminFixtures.fields(booking) == ["time_window"])

            let opened = try await station.admin(.DELETE, "/v1/admin/markets/\(market)/closures/\(day)")
            #expect(opened.status == .noContent)
            #expect(try await station.firstWindow(of: market, plus: 4) != nil)
            let again = try await station.admin(.DELETE, "/v1/admin/markets/\(market)/closures/\(day)")
            #expect(again.status == .notFound)
        }
    }

    @Test("closing a day with bookings is refused with 409 listing them; a past day or a bad reason is 422")
    func bookedDay() async throws {
        try await StationHarness.with { station in
            let market = try await station.boulder()
            let alpine = try await station.alpine(markets: [market])
            let window = try #require(try await station.firstWindow(of: market, plus: 2))
            let booked = try await station.book(alpine.patient, of: alpine.partner, zip: "80301", window: window)
            let id = try #require(booked.object["id"] as? String)
            let day = try Fixtures.denverDay(plus: 2)
            let refused = try await station.admin(
                .PUT, "/v1/admin/markets/\(market)/closures/\(day)", json: #"{"reason":"Snow"}"#)
            #expect(refused.status == .conflict)
            #expect(refused.isProblem)
            #expect(refused.object["affected_care_requests"] as? [String] == [id])
            #expect(try await station.firstWindow(of: market, plus: 2) != nil)

            let past = try await station.admin(
                .PUT, "/v1/admin/markets/\(market)/closures/\(try Fixtures.denverDay(plus: -2))",
                json: #"{"reason":" "}"#)
            #expect(past.status == .unprocessableEntity)
            #expect(AdminFixtures.fields(past) == ["reason", "date"])
            let badDate = try await station.admin(
                .PUT, "/v1/admin/markets/\(market)/closures/2030-02-30", json: #"{"reason":"x"}"#)
            #expect(badDate.status == .badRequest)
        }
    }
}
