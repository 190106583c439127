import Fluent
import Foundation
import SQLKit
import StationDomain
import Vocabulary

extension ProposedDay {
    /// By team id (wire), the request ids (wire) in the order the team makes them.
    var routeOrders: [String: [String]] {
        Dictionary(
            routes.map { ($0.team.id.wire, $0.stops.map(\.careRequest.wire)) }, uniquingKeysWith: { first, _ in first })
    }
}

/// The routes of a day's plan as a dispatcher accepted them: each team's requests in order.
struct AcceptedRoutes: Sendable, Equatable {
    /// By team id (wire), the request ids (wire) in the order the team makes them.
    var routes: [String: [String]]
    var acceptedAt: Date
    var acceptedBy: String
}

extension StationStore {
    static let dayPlansTable = "day_plans"

    /// The routes last accepted for a market day; nil when none are kept (never accepted, or planned again since).
    static func acceptedRoutes(of market: MarketID, on day: LocalDate, in db: any Database) async throws
        -> AcceptedRoutes?
    {
        guard
            let row = try await db.sql.select().columns("routes", "accepted_at", "accepted_by")
                .from(dayPlansTable)
                .where("market_id", .equal, SQLBind(market.rawValue))
                .where("plan_date", .equal, SQLBind(day.iso))
                .first()
        else { return nil }
        let text = try row.decode(column: "routes", as: String.self)
        // Rows this version cannot read are treated as none: the day is planned afresh.
        guard let routes = try? JSONDecoder().decode([String: [String]].self, from: Data(text.utf8)) else { return nil }
        return AcceptedRoutes(
            routes: routes, acceptedAt: try row.decode(column: "accepted_at", as: Date.self),
            acceptedBy: try row.decode(column: "accepted_by", as: String.self))
    }

    /// Keeps `proposal`'s routes as the day's accepted ones, replacing any before.
    static func keepAcceptedRoutes(_ proposal: ProposedDay, actor: String, at: Date, in db: any Database) async throws {
        try await keepRoutes(
            proposal.routeOrders, of: proposal.market, on: proposal.day, acceptedBy: actor, at: at, in: db)
    }

    /// Keeps `routes` (by team id, the request ids in order) as a market day's accepted ones, replacing any before.
    static func keepRoutes(
        _ routes: [String: [String]], of market: MarketID, on day: LocalDate, acceptedBy actor: String, at: Date,
        in db: any Database
    ) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(routes), as: UTF8.self)
        try await db.sql.insert(into: dayPlansTable)
            .columns("market_id", "plan_date", "routes", "accepted_at", "accepted_by")
            .values(
                SQLBind(market.rawValue), SQLBind(day.iso), SQLBind(text), SQLBind(at),
                SQLBind(actor)
            )
            .onConflict(with: ["market_id", "plan_date"]) { update in
                try update.set(excludedValueOf: "routes").set(excludedValueOf: "accepted_at")
                    .set(excludedValueOf: "accepted_by")
            }
            .run()
    }

    /// Lets go of a market day's accepted routes, so that its next proposal plans the whole day afresh (which a
    /// dispatcher then accepts, or not). False when none were kept.
    func planDayAgain(of market: MarketID, on day: LocalDate) async throws -> Bool {
        await planSearch?.forget(BackgroundPlanSearch.Key(market: market, day: day))
        return try await write { db in
            try await Self.advisoryLock(Self.planningLock, on: db)
            guard try await Self.acceptedRoutes(of: market, on: day, in: db) != nil else { return false }
            try await db.sql.delete(from: Self.dayPlansTable)
                .where("market_id", .equal, SQLBind(market.rawValue))
                .where("plan_date", .equal, SQLBind(day.iso))
                .run()
            return true
        }
    }
}
