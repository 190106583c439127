import DispatchPlanning
import Fluent
import Foundation
import SQLKit
import StationDomain
import Vocabulary

/// A care team as Station keeps it.
struct CareTeamRecord: Sendable, Equatable {
    var id: CareTeamID
    var market: MarketID
    var settings: CareTeamSettings
}

extension StationStore {
    /// A market's care teams by name; nil when there is no such market.
    func careTeams(of market: MarketID) async throws -> [CareTeamRecord]? {
        guard try await self.market(market) != nil else { return nil }
        return try await Self.careTeams(of: market, on: db)
    }

    /// A market's care teams by name, read in `db` (a transaction's, or the store's).
    static func careTeams(of market: MarketID, on db: any Database) async throws -> [CareTeamRecord] {
        try await CareTeamModel.query(on: db).filter(\.$marketID == market.rawValue).sort(\.$name).all()
            .map { try record($0) }
    }

    /// Adds a care team to a market (a name unique in the market), and records the change.
    func createCareTeam(
        _ settings: CareTeamSettings, market: MarketID, id: CareTeamID = .random(), actor: String
    ) async throws -> CareTeamRecord {
        let at = timestamp()
        return try await write { db in
            let settings = try await Self.validCareTeam(settings, market: market, on: db)
            try await Self.checkTeamName(settings.name, market: market, excluding: nil, on: db)
            let team = CareTeamModel(id: id.rawValue, marketID: market.rawValue, settings: settings)
            try await Self.refusingDuplicate(.taken(field: "name", value: settings.name)) {
                try await team.create(on: db)
            }
            try await Self.record(.careTeamCreated, entity: "\(market.wire)/\(id.wire)", actor: actor, at: at, on: db)
            return try Self.record(team)
        }
    }

    /// Changes a care team; nil when the market has no such team.
    func updateCareTeam(_ id: CareTeamID, market: MarketID, _ settings: CareTeamSettings, actor: String)
        async throws -> CareTeamRecord?
    {
        let at = timestamp()
        return try await write { db in
            let settings = try await Self.validCareTeam(settings, market: market, on: db)
            guard
                let team = try await CareTeamModel.query(on: db)
                    .filter(\.$id == id.rawValue).filter(\.$marketID == market.rawValue).first()
            else { return nil }
            try await Self.checkTeamName(settings.name, market: market, excluding: id.rawValue, on: db)
            team.apply(settings)
            try await Self.refusingDuplicate(.taken(field: "name", value: settings.name)) {
                try await team.save(on: db)
            }
            try await Self.record(.careTeamUpdated, entity: "\(market.wire)/\(id.wire)", actor: actor, at: at, on: db)
            return try Self.record(team)
        }
    }

    /// Removes a care team; false when the market has no such team.
    func removeCareTeam(_ id: CareTeamID, market: MarketID, actor: String) async throws -> Bool {
        let at = timestamp()
        return try await write { db in
            guard
                let team = try await CareTeamModel.query(on: db)
                    .filter(\.$id == id.rawValue).filter(\.$marketID == market.rawValue).first()
            else { return false }
            try await team.delete(on: db)
            // Visits pinned to it go back to the planner's choice.
            try await db.sql.update(CareRequestModel.schema)
                .set("pinned_care_team_id", to: SQLBind(UUID?.none)).set("pinned_by", to: SQLLiteral.null)
                .where("pinned_care_team_id", .equal, SQLBind(id.rawValue))
                .run()
            try await Self.record(.careTeamRemoved, entity: "\(market.wire)/\(id.wire)", actor: actor, at: at, on: db)
            return true
        }
    }

    /// The settings validated against the market's ZIP codes and the service lines there are; a missing market
    /// is not found.
    private static func validCareTeam(_ settings: CareTeamSettings, market: MarketID, on db: any Database)
        async throws -> CareTeamSettings
    {
        guard try await lockMarket(market.rawValue, exclusive: false, on: db) != nil,
            let model = try await MarketModel.find(market.rawValue, on: db)
        else { throw StationError.notFound("market") }
        let codes = Set(try await ServiceLineModel.query(on: db).all().compactMap(\.code))
        let clean = try valid { () throws(FieldErrors) in
            try settings.validated(marketZips: model.zipCodes, serviceLineCodes: codes)
        }
        // The planner starts the team's day at its base's ZIP code centroid: one it cannot place is refused.
        if case .success(let locator) = zipLocator, locator.centroid(of: clean.baseZip) == nil {
            var errors = FieldErrors()
            errors.add("base_zip", "is not a ZIP code the dispatch planner can place; choose another of the market's")
            throw StationError.invalid(errors)
        }
        return clean
    }

    private static func checkTeamName(_ name: String, market: MarketID, excluding: UUID?, on db: any Database)
        async throws
    {
        let teams = try await CareTeamModel.query(on: db).filter(\.$marketID == market.rawValue).all()
        if teams.contains(where: { $0.id != excluding && $0.name.lowercased() == name.lowercased() }) {
            throw AdminRefusal.taken(field: "name", value: name)
        }
    }

    private static func record(_ model: CareTeamModel) throws -> CareTeamRecord {
        CareTeamRecord(
            id: CareTeamID(try model.requireID()), market: MarketID(model.marketID), settings: model.settings)
    }
}
