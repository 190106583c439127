import Fluent
import Foundation
import SQLKit
import Vocabulary

/// One booked time window as the capacity check sees it: its places, the count bookings take them through, and
/// the care requests holding one (neither archived nor synthetic).
package struct WindowLoad: Sendable, Equatable {
    package var market: UUID
    package var marketName: String
    package var start: Date
    package var capacity: Int
    package var booked: Int
    package var held: Int

    /// More places taken than the window has, by the count or by the requests themselves.
    package var isOverCapacity: Bool { max(booked, held) > capacity }
}

/// What `selfsched station check-capacity` reports after a run: every booked window, and how many care requests
/// and events Station holds.
package struct StationCheck: Sendable, Equatable {
    package var windows: [WindowLoad]
    package var careRequests: Int
    package var events: Int

    package var overCapacity: [WindowLoad] { windows.filter(\.isOverCapacity) }

    /// Said after the windows over capacity. A window whose places were lowered below its bookings would be an
    /// operator's change rather than an overbooking, but Station keeps no history of a window's places (a
    /// reservation row holds only its current number), and refuses to lower them below what is booked; so nothing
    /// stored tells the two apart, and both fail the check.
    package static let cannotTellLoweredPlaces =
        "note: Station keeps no history of a window's places, so a window whose places were lowered below its "
        + "bookings (outside Station, which refuses that change) cannot be told from an overbooking: both are listed."

    /// One line per window over capacity and a note when there is any, then the summary, always last.
    package var lines: [String] {
        let format = ISO8601DateFormatter()
        let over = overCapacity.map { window in
            "over capacity: window \(format.string(from: window.start)) in \(window.marketName) "
                + "(market \(window.market.uuidString.lowercased())): capacity \(window.capacity), "
                + "booked \(window.booked), held by \(window.held) care requests"
        }
        return over + (over.isEmpty ? [] : [Self.cannotTellLoweredPlaces]) + [
            "station: \(windows.count) windows booked, \(overCapacity.count) over capacity; "
                + "\(careRequests) care requests; \(events) events"
        ]
    }
}

extension StationStore {
    /// Every window with a reservation or a care request holding a place in it, against its places.
    func check() async throws -> StationCheck {
        let markets = try await MarketModel.query(on: db).all()
        let names = Dictionary(uniqueKeysWithValues: try markets.map { (try $0.requireID(), $0) })
        struct Key: Hashable {
            var market: UUID
            var start: Date
        }
        var loads: [Key: WindowLoad] = [:]
        let reservations = try await db.sql.select()
            .columns("market_id", "window_start", "capacity", "booked").from(TimeWindowReservationModel.schema)
            .all()
        for row in reservations {
            let key = Key(
                market: try row.decode(column: "market_id", as: UUID.self),
                start: try row.decode(column: "window_start", as: Date.self))
            loads[key] = WindowLoad(
                market: key.market, marketName: names[key.market]?.name ?? "?", start: key.start,
                capacity: try row.decode(column: "capacity", as: Int.self),
                booked: try row.decode(column: "booked", as: Int.self), held: 0)
        }
        let held = try await db.sql.select()
            .columns("market_id", "window_start").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "held")
            .from(CareRequestModel.schema)
            .where("window_start", .isNot, SQLLiteral.null)
            .where("status", .notEqual, SQLBind(CareRequestStatus.archived.rawValue))
            .where("synthetic", .equal, SQLBind(false))
            .groupBy("market_id").groupBy("window_start")
            .all()
        for row in held {
            let key = Key(
                market: try row.decode(column: "market_id", as: UUID.self),
                start: try row.decode(column: "window_start", as: Date.self))
            let market = names[key.market]
            var load =
                loads[key]
                ?? WindowLoad(
                    market: key.market, marketName: market?.name ?? "?", start: key.start,
                    capacity: market?.capacityPerWindow ?? 0, booked: 0, held: 0)
            load.held = try row.decode(column: "held", as: Int.self)
            loads[key] = load
        }
        return StationCheck(
            windows: loads.values.sorted { ($0.start, $0.marketName) < ($1.start, $1.marketName) },
            careRequests: try await CareRequestModel.query(on: db).count(),
            events: try await CareRequestEventModel.query(on: db).count())
    }
}
