import Foundation
import Platform
import StationAPI
import StationDomain
import Vocabulary

/// A market's care teams (scope station.admin).
extension StationAPIHandler {
    func listCareTeams(_ input: Operations.ListCareTeams.Input) async throws -> Operations.ListCareTeams.Output {
        let id = try reachableMarket(input.path.marketId, for: try caller())
        guard let teams = try await store.careTeams(of: id) else {
            throw Problem.notFound("No market with id \(id.wire).")
        }
        return .ok(.init(body: .json(teams.map(Components.Schemas.CareTeam.init))))
    }

    func createCareTeam(_ input: Operations.CreateCareTeam.Input) async throws -> Operations.CreateCareTeam.Output {
        let principal = try caller()
        let market = try reachableMarket(input.path.marketId, for: principal)
        guard case .json(let body) = input.body else { throw Problem.badRequest("Expected JSON.") }
        let team = try await store.createCareTeam(
            CareTeamSettings(body), market: market, actor: Self.actor(principal))
        return .created(.init(body: .json(.init(team))))
    }

    func updateCareTeam(_ input: Operations.UpdateCareTeam.Input) async throws -> Operations.UpdateCareTeam.Output {
        let principal = try caller()
        let market = try reachableMarket(input.path.marketId, for: principal)
        let id = try Self.id(input.path.teamId, CareTeamID.self, name: "teamId")
        guard case .json(let body) = input.body else { throw Problem.badRequest("Expected JSON.") }
        guard
            let team = try await store.updateCareTeam(
                id, market: market, CareTeamSettings(body), actor: Self.actor(principal))
        else { throw Problem.notFound("The market with id \(market.wire) has no care team with id \(id.wire).") }
        return .ok(.init(body: .json(.init(team))))
    }

    func removeCareTeam(_ input: Operations.RemoveCareTeam.Input) async throws -> Operations.RemoveCareTeam.Output {
        let principal = try caller()
        let market = try reachableMarket(input.path.marketId, for: principal)
        let id = try Self.id(input.path.teamId, CareTeamID.self, name: "teamId")
        guard try await store.removeCareTeam(id, market: market, actor: Self.actor(principal)) else {
            throw Problem.notFound("The market with id \(market.wire) has no care team with id \(id.wire).")
        }
        return .noContent(.init())
    }
}

extension CareTeamSettings {
    init(_ b: Components.Schemas.CareTeamInput) {
        self.init(
            name: b.name, baseZip: b.baseZip, serviceLines: b.serviceLines,
            shifts: b.shifts.map {
                Shift(day: Weekday(rawValue: $0.day.rawValue) ?? .monday, startsAt: $0.startsAt, endsAt: $0.endsAt)
            })
    }
}

extension Components.Schemas.CareTeam {
    init(_ team: CareTeamRecord) {
        self.init(
            id: team.id.wire, marketId: team.market.wire, name: team.settings.name, baseZip: team.settings.baseZip,
            serviceLines: team.settings.serviceLines,
            shifts: team.settings.shifts.compactMap { shift in
                Components.Schemas.CareTeamShift.DayPayload(rawValue: shift.day.rawValue).map {
                    .init(day: $0, startsAt: shift.startsAt, endsAt: shift.endsAt)
                }
            })
    }
}
