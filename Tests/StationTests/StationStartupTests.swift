import Fluent
import Foundation
import Platform
import SQLKit
import TestSupport
import Testing
import Vapor

@testable import Station

/// Station's start under its startup lock; two starts at once are in ``TwoInstancesTests``. PostgreSQL only: run
/// with `--pg`.
@Suite("Station's start", .timeLimit(.minutes(10)))
struct StationStartupTests {
    @Test("a start that finds Station's startup lock held fails naming it, and migrates nothing")
    func heldLock() async throws {
        guard TestDatabase.usesPostgres else { return }
        try await TestDatabase.withApplication { app, location in
            let config = StationConfig(database: location, trustedIssuers: Set(StationHarness.tenantIssuers))
            try StationApp.configure(app, config: config, keySource: StaticJWKSSource([:]))
            app.setStartupLockPatience(.milliseconds(300))
            let key: SQLQueryString = "hashtextextended('selfsched.startup.station/' || current_schema(), 0)"
            try await app.db.withConnection { holder in
                try await holder.sql.raw("SELECT pg_advisory_lock(\(key))").run()
                let error = await #expect(throws: StartupLockTimeout.self) {
                    try await StationApp.prepare(app, seedDemo: true)
                }
                #expect(error?.lock == "station")
                try await holder.sql.raw("SELECT pg_advisory_unlock(\(key))").run()
            }
            let tables = try await app.db.sql.raw(
                "SELECT count(*) AS tables FROM information_schema.tables WHERE table_schema = current_schema()"
            ).first()
            #expect(try tables?.decode(column: "tables", as: Int.self) == 0)
            #expect(try await StationApp.prepare(app, seedDemo: true))
        }
    }
}
