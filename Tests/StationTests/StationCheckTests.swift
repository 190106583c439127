import Fluent
import Foundation
import Platform
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
            #expect(after.lines.count == 3)
            #expect(
                after.lines.first?.hasPrefix("over capacity: window \(Fixtures.isoDate(window.0)) in Denver") == true)
            // Nothing stored tells places lowered below the bookings from an overbooking: the output says so.
            #expect(after.lines.dropFirst().first == StationCheck.cannotTellLoweredPlaces)
            #expect(
                after.lines.last
                    == "station: \(after.windows.count) windows booked, 1 over capacity; "
                    + "\(after.careRequests) care requests; \(after.events) events")
            #expect(after.careRequests == before.careRequests && after.events == before.events)
        }
    }

    @Test("on a database Station never migrated the check fails saying so, and leaves the database as it was")
    func readOnly() async throws {
        try await TestDatabase.withApplication { app, location in
            let config = StationConfig(database: location, trustedIssuers: Set(StationHarness.tenantIssuers))
            try StationApp.configure(app, config: config, keySource: StaticJWKSSource([:]))
            let error = await #expect(throws: ConfigurationError.self) { try await StationApp.check(app) }
            #expect(error?.description.contains("Run `selfsched migrate`") == true)
            switch location {
            case .sqlite(let path):
                #expect(error?.description.hasPrefix("Station has no database at sqlite:") == true)
                #expect(!FileManager.default.fileExists(atPath: path))
            case .postgres:
                #expect(error?.description.hasPrefix("Station's schema is missing from ") == true)
                let tables = try await app.db.sql.raw(
                    "SELECT count(*) AS tables FROM information_schema.tables WHERE table_schema = current_schema()"
                ).first()
                #expect(try tables?.decode(column: "tables", as: Int.self) == 0)
            }
        }
    }

    @Test("on a database whose schema is behind, the check names the migrations not yet run and runs none")
    func behindSchema() async throws {
        try await StationHarness.with { station in
            let last = try #require(StationMigrations.all.last?.name)
            try await station.app.db.sql.raw("DELETE FROM _fluent_migrations WHERE name = \(bind: last)").run()
            let error = await #expect(throws: ConfigurationError.self) { try await StationApp.check(station.app) }
            #expect(error?.description.contains("is behind this version (not yet run: \(last))") == true)
            let log = try await station.app.db.sql.raw(
                "SELECT count(*) AS runs FROM _fluent_migrations WHERE name = \(bind: last)"
            ).first()
            #expect(try log?.decode(column: "runs", as: Int.self) == 0)
        }
    }
}
