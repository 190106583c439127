import Foundation
import SQLKit
import StationDomain
import TestSupport
import Testing
import Vapor

@testable import Station

@Suite("selfsched station check-capacity")
struct StationCheckTests {
    @Test("a window holding more care requests than its places is named, and the summary counts requests and events")
    func overCapacity() async throws {
        try await StationHarness.with { station in
            let patient = try await CreateCareRequestTests.eleanor(station)
            let window = try await CreateCareRequestTests.window(station)
            let booked = try await station.call(
                .POST, "/v1/care-requests", json: Fixtures.careRequest(patient: patient, window: window),
                headers: [("Idempotency-Key", UUID().uuidString)])
            #expect(booked.status == .created)
            let before = try await StationApp.check(station.app)
            #expect(before.overCapacity.isEmpty)
            #expect(
                before.lines.last?.hasPrefix("station: \(before.windows.count) windows booked, 0 over capacity; ")
                    == true)

            // What no booking can do: the window's places set below what it holds, behind the store's back.
            try await station.app.db.sql.update(TimeWindowReservationModel.schema).set("capacity", to: SQLBind(0))
                .where("window_start", .equal, SQLBind(window.0)).run()
            let after = try await StationApp.check(station.app)
            let over = try #require(after.overCapacity.first)
            #expect(after.overCapacity.count == 1)
            #expect(over.start == window.0 && over.market == DemoData.denver.rawValue)
            #expect((over.capacity, over.booked, over.held) == (0, 1, 1))
            #expect(after.lines.count == 2)
            #expect(
                after.lines.first?.hasPrefix("over capacity: window \(Fixtures.isoDate(window.0)) in Denver") == true)
            #expect(
                after.lines.last
                    == "station: \(after.windows.count) windows booked, 1 over capacity; "
                    + "\(after.careRequests) care requests; \(after.events) events")
            #expect(after.careRequests == before.careRequests && after.events == before.events)
        }
    }
}
