import Foundation
import Platform
import StationAPI
import StationDomain
import Vocabulary

/// Operations administration (scope station.admin): partners, markets, closures and service lines. Each change
/// is recorded in `admin_changes` with the caller as its actor.
extension StationAPIHandler {
    func listPartners(_ input: Operations.ListPartners.Input) async throws -> Operations.ListPartners.Output {
        _ = try Self.staffMarkets(try caller())
        return .ok(.init(body: .json(try await store.partnerSummaries().map(Components.Schemas.PartnerSummary.init))))
    }

    func createPartner(_ input: Operations.CreatePartner.Input) async throws -> Operations.CreatePartner.Output {
        let principal = try caller()
        _ = try Self.staffMarkets(principal)
        guard case .json(let body) = input.body else { throw Problem.badRequest("Expected JSON.") }
        let partner = try await store.createPartner(try PartnerSettings(body), actor: Self.actor(principal))
        return .created(.init(body: .json(.init(partner))))
    }

    func createMarket(_ input: Operations.CreateMarket.Input) async throws -> Operations.CreateMarket.Output {
        let principal = try caller()
        _ = try Self.staffMarkets(principal)
        guard case .json(let body) = input.body else { throw Problem.badRequest("Expected JSON.") }
        let market = try await store.createMarket(MarketSettings(body), actor: Self.actor(principal))
        return .created(.init(body: .json(try .init(market))))
    }

    func updateMarket(_ input: Operations.UpdateMarket.Input) async throws -> Operations.UpdateMarket.Output {
        let principal = try caller()
        let id = try reachableMarket(input.path.marketId, for: principal)
        guard case .json(let body) = input.body else { throw Problem.badRequest("Expected JSON.") }
        // Travel settings left out keep the market's (a form or client from before they existed changes nothing).
        let market = try await store.updateMarket(
            id, MarketSettings(body), keepingTravel: (body.roadFactor == nil, body.averageSpeedMph == nil),
            actor: Self.actor(principal))
        return .ok(.init(body: .json(try .init(market))))
    }

    func createServiceLine(_ input: Operations.CreateServiceLine.Input) async throws
        -> Operations.CreateServiceLine.Output
    {
        let principal = try caller()
        _ = try Self.staffMarkets(principal)
        guard case .json(let body) = input.body else { throw Problem.badRequest("Expected JSON.") }
        let line = try await store.createServiceLine(
            ServiceLineSettings(
                name: body.name, code: body.code,
                visitMinutes: body.visitMinutes ?? ServiceLineSettings.defaultVisitMinutes),
            actor: Self.actor(principal))
        return .created(.init(body: .json(try .init(line))))
    }

    func setServiceLineVisitLength(_ input: Operations.SetServiceLineVisitLength.Input) async throws
        -> Operations.SetServiceLineVisitLength.Output
    {
        let principal = try caller()
        _ = try Self.staffMarkets(principal)
        guard case .json(let body) = input.body else { throw Problem.badRequest("Expected JSON.") }
        let id = try Self.id(input.path.serviceLineId, ServiceLineID.self, name: "serviceLineId")
        guard
            let line = try await store.setVisitLength(
                of: id, minutes: body.visitMinutes, actor: Self.actor(principal))
        else { throw Problem.notFound("No service line with id \(id.wire).") }
        return .ok(.init(body: .json(try .init(line))))
    }

    /// A market id from a path that the staff caller may reach; otherwise the same 404 as an unknown market.
    func reachableMarket(_ raw: String, for principal: Principal) throws -> MarketID {
        let markets = try Self.staffMarkets(principal)
        let id = try Self.id(raw, MarketID.self, name: "marketId")
        guard markets.allows(id) else { throw Problem.notFound("No market with id \(id.wire).") }
        return id
    }
}
