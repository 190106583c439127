import ConsoleDomain
import Foundation
import Platform
import StationAPI
import Vocabulary

/// Station's administration operations, called with the signed-in operations admin's own token (so Station's
/// `admin_changes` names the person): a refusal becomes a ``StationProblem`` with Station's words, anything
/// unreachable or unexpected ``StationUnavailable``.
struct AdminStation {
    typealias Partner = Components.Schemas.PartnerSummary
    typealias Market = Components.Schemas.Market
    typealias ServiceLine = Components.Schemas.ServiceLine

    let client: StationAPI.Client

    func partners() async throws -> [Partner] {
        try await StationStaffGateway.call {
            switch try await client.listPartners() {
            case .ok(let ok): return try ok.body.json
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }

    func createPartner(_ partner: NewPartner) async throws -> Partner {
        try await StationStaffGateway.call {
            switch try await client.createPartner(body: .json(.init(partner))) {
            case .created(let created): return try created.body.json
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }

    func markets() async throws -> [Market] {
        try await StationStaffGateway.call {
            switch try await client.listMarkets() {
            case .ok(let ok): return try ok.body.json
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }

    /// The market, or a 404 problem when Station does not list it (for this admin).
    func market(_ id: MarketID) async throws -> Market {
        guard let market = try await markets().first(where: { MarketID(wire: $0.id) == id }) else {
            throw StationProblem(status: 404, nil)
        }
        return market
    }

    func createMarket(_ settings: MarketSettings) async throws -> Market {
        try await StationStaffGateway.call {
            switch try await client.createMarket(body: .json(.init(settings))) {
            case .created(let created): return try created.body.json
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }

    func updateMarket(_ id: MarketID, _ settings: MarketSettings) async throws -> Market {
        try await StationStaffGateway.call {
            switch try await client.updateMarket(path: .init(marketId: id.wire), body: .json(.init(settings))) {
            case .ok(let ok): return try ok.body.json
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }

    func serviceLines() async throws -> [ServiceLine] {
        try await StationStaffGateway.call {
            switch try await client.listServiceLines() {
            case .ok(let ok): return try ok.body.json
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }

    func createServiceLine(_ line: NewServiceLine) async throws -> ServiceLine {
        try await StationStaffGateway.call {
            switch try await client.createServiceLine(
                body: .json(.init(name: line.name, code: line.code, visitMinutes: line.visitMinutes)))
            {
            case .created(let created): return try created.body.json
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }

    func setVisitLength(of line: String, minutes: Int) async throws -> ServiceLine {
        try await StationStaffGateway.call {
            switch try await client.setServiceLineVisitLength(
                path: .init(serviceLineId: line), body: .json(.init(visitMinutes: minutes)))
            {
            case .ok(let ok): return try ok.body.json
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }
}
