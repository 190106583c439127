import Fluent
import Foundation
import SQLKit
import StationDomain
import Vocabulary

extension StationStore {
    /// Creates a market, and records the change.
    func createMarket(_ settings: MarketSettings, id: MarketID = .random(), actor: String) async throws
        -> MarketModel
    {
        let settings = try Self.valid { () throws(FieldErrors) in try settings.validated() }
        let at = timestamp()
        return try await write { db in
            try await Self.lockAdministration(on: db)
            try await Self.checkUnique(settings, excluding: nil, on: db)
            let market = MarketModel(
                id: id.rawValue, name: settings.name, state: settings.state, timeZone: settings.timeZone,
                zipCodes: settings.zipCodes, opensAt: settings.opensAt, closesAt: settings.closesAt,
                windowMinutes: settings.windowMinutes, capacityPerWindow: settings.capacityPerWindow)
            market.storedRoadFactor = settings.roadFactor
            market.storedSpeedMph = settings.averageSpeedMph
            try await market.create(on: db)
            try await Self.record(.marketCreated, entity: id.wire, actor: actor, at: at, on: db)
            return market
        }
    }

    /// Changes a market without dropping a booking or a care team's base (a ZIP code a team is based at stays): bookings keep their windows, and a new number of places
    /// applies to the future windows that follow the market's number (not those a dispatcher set for the day);
    /// fewer places than such a window has booked is refused, naming the requests booked there.
    /// `keepingTravel`: the travel settings were left out, so the market keeps its own (read in this transaction).
    func updateMarket(
        _ id: MarketID, _ settings: MarketSettings, keepingTravel: (roadFactor: Bool, speed: Bool) = (false, false),
        actor: String
    ) async throws -> MarketModel {
        let settings = try Self.valid { () throws(FieldErrors) in try settings.validated() }
        let at = timestamp()
        let now = now()
        return try await write { db in
            try await Self.lockAdministration(on: db)
            guard try await Self.lockMarket(id.rawValue, exclusive: true, on: db) != nil,
                let market = try await MarketModel.find(id.rawValue, on: db)
            else { throw StationError.notFound("market") }
            try await Self.checkUnique(settings, excluding: id.rawValue, on: db)
            let teams = try await CareTeamModel.query(on: db).filter(\.$marketID == id.rawValue).sort(\.$name).all()
            if let team = teams.first(where: { !settings.zipCodes.contains($0.baseZip) }) {
                var errors = FieldErrors()
                errors.add("zip_codes", "must keep \(team.baseZip), the base of the care team \(team.name)")
                throw StationError.invalid(errors)
            }
            let old = market.capacityPerWindow
            if settings.capacityPerWindow != old {
                let over = try await db.sql.select().column("window_start").from(TimeWindowReservationModel.schema)
                    .where("market_id", .equal, SQLBind(id.rawValue))
                    .where("window_start", .greaterThan, SQLBind(now))
                    .where("capacity", .equal, SQLBind(old))
                    .where("booked", .greaterThan, SQLBind(settings.capacityPerWindow))
                    .all()
                    .map { try $0.decode(column: "window_start", as: Date.self) }
                if !over.isEmpty {
                    let affected = try await CareRequestModel.query(on: db)
                        .filter(\.$marketID == id.rawValue).filter(\.$windowStart ~~ over.map { Optional($0) })
                        .filter(\.$status != CareRequestStatus.archived.rawValue)
                        .sort(\.$windowStart).all()
                    throw AdminRefusal.capacityBelowBooked(
                        affected: try affected.map { CareRequestID(try $0.requireID()) })
                }
                try await db.sql.update(TimeWindowReservationModel.schema)
                    .set("capacity", to: SQLBind(settings.capacityPerWindow))
                    .where("market_id", .equal, SQLBind(id.rawValue))
                    .where("window_start", .greaterThan, SQLBind(now))
                    .where("capacity", .equal, SQLBind(old))
                    .run()
            }
            market.name = settings.name
            market.state = settings.state
            market.timeZone = settings.timeZone
            market.zipCodes = settings.zipCodes
            market.opensAt = settings.opensAt
            market.closesAt = settings.closesAt
            market.windowMinutes = settings.windowMinutes
            market.capacityPerWindow = settings.capacityPerWindow
            if !keepingTravel.roadFactor { market.storedRoadFactor = settings.roadFactor }
            if !keepingTravel.speed { market.storedSpeedMph = settings.averageSpeedMph }
            try await market.save(on: db)
            try await Self.record(.marketUpdated, entity: id.wire, actor: actor, at: at, on: db)
            return market
        }
    }

    /// Any constant of Station's own: the key of the PostgreSQL advisory lock that orders configuration changes.
    static let administrationLock: Int64 = 0x5354_4144_4D49_4E53

    /// Orders this transaction's configuration change after every other one in flight, until commit: a change
    /// checks what no index guards (a ZIP code, a service line code, a name in any case) against the others, and
    /// on PostgreSQL two changes could otherwise both pass their checks before either commits. (SQLite's writers
    /// are one at a time already, through the write gate.)
    static func lockAdministration(on db: any Database) async throws {
        try await advisoryLock(administrationLock, on: db)
    }

    /// Takes a PostgreSQL advisory lock until the transaction ends (nothing on SQLite). Advisory locks belong to the
    /// whole database, so the key is mixed with the schema's name: databases that hold several schemas (the test
    /// suites give each test its own) do not wait for one another's locks.
    static func advisoryLock(_ key: Int64, on db: any Database) async throws {
        guard !db.isSQLite else { return }
        try await db.sql.raw("SELECT \(advisoryLockCall(key))").run()
    }

    /// The call that takes `key`'s lock (see ``advisoryLock(_:on:)``), for a statement that does more at once.
    static func advisoryLockCall(_ key: Int64) -> SQLQueryString {
        "pg_advisory_xact_lock(\(bind: key) # hashtextextended(current_schema(), 0))"
    }

    /// A market's name and each ZIP code belong to it alone.
    private static func checkUnique(_ settings: MarketSettings, excluding id: UUID?, on db: any Database) async throws {
        for other in try await MarketModel.query(on: db).sort(\.$name).all() where other.id != id {
            if other.name.lowercased() == settings.name.lowercased() {
                throw AdminRefusal.taken(field: "name", value: settings.name)
            }
            if let zip = settings.zipCodes.first(where: other.zipCodes.contains) {
                throw AdminRefusal.zipServed(
                    zip: zip, marketID: MarketID(try other.requireID()), marketName: other.name)
            }
        }
    }

    /// Locks a market's row for the transaction (exclusively for an admin change, shared for a booking) and
    /// reads its places per window; nil when there is no such market. SQLite has no row locks: its writers are
    /// serialized already.
    static func lockMarket(_ id: UUID, exclusive: Bool, on db: any Database) async throws -> Int? {
        let lock = db.isSQLite ? "" : exclusive ? " FOR UPDATE" : " FOR SHARE"
        return try await db.sql.raw(
            "SELECT capacity_per_window FROM markets WHERE id = \(bind: id)\(unsafeRaw: lock)"
        ).first()?.decode(column: "capacity_per_window", as: Int.self)
    }
}
