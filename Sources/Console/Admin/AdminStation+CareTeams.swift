import ConsoleDomain
import Foundation
import Platform
import StationAPI
import Vocabulary

extension AdminStation {
    func careTeams(_ market: MarketID) async throws -> [Components.Schemas.CareTeam] {
        try await StationStaffGateway.call {
            switch try await client.listCareTeams(path: .init(marketId: market.wire)) {
            case .ok(let ok): return try ok.body.json
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }

    func createCareTeam(_ market: MarketID, _ team: CareTeam) async throws -> Components.Schemas.CareTeam {
        try await StationStaffGateway.call {
            switch try await client.createCareTeam(path: .init(marketId: market.wire), body: .json(.init(team))) {
            case .created(let created): return try created.body.json
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }

    func updateCareTeam(_ market: MarketID, _ id: CareTeamID, _ team: CareTeam) async throws
        -> Components.Schemas.CareTeam
    {
        try await StationStaffGateway.call {
            switch try await client.updateCareTeam(
                path: .init(marketId: market.wire, teamId: id.wire), body: .json(.init(team)))
            {
            case .ok(let ok): return try ok.body.json
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }

    func removeCareTeam(_ market: MarketID, _ id: CareTeamID) async throws {
        try await StationStaffGateway.call {
            switch try await client.removeCareTeam(path: .init(marketId: market.wire, teamId: id.wire)) {
            case .noContent: return
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }
}

extension Components.Schemas.CareTeamInput {
    init(_ team: CareTeam) {
        self.init(
            name: team.name, baseZip: team.baseZip, serviceLines: team.serviceLines,
            shifts: team.shifts.compactMap { shift in
                Components.Schemas.CareTeamShift.DayPayload(rawValue: shift.day).map {
                    .init(day: $0, startsAt: shift.startsAt, endsAt: shift.endsAt)
                }
            })
    }
}

extension CareTeamForm {
    /// The form filled with a team as Station has it.
    init(_ team: Components.Schemas.CareTeam) {
        var hours: [String: (String, String)] = [:]
        for shift in team.shifts { hours[shift.day.rawValue] = (shift.startsAt, shift.endsAt) }
        self.init(name: team.name, baseZip: team.baseZip, serviceLines: team.serviceLines, hours: hours)
    }
}
