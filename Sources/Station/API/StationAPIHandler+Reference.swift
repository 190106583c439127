import StationAPI
import Platform
import Foundation

extension StationAPIHandler {
    func getPartner(_ input: Operations.GetPartner.Input) async throws -> Operations.GetPartner.Output {
        let partner = try await reachablePartner(input.path.partnerId, for: try caller())
        return .ok(.init(body: .json(.init(id: partner.id!.uuidString.lowercased(), slug: partner.slug, name: partner.name))))
    }

    func listMarkets(_ input: Operations.ListMarkets.Input) async throws -> Operations.ListMarkets.Output {
        _ = try caller()
        return .ok(.init(body: .json(try await store.markets().map(Components.Schemas.Market.init))))
    }

    func getMarketByZip(_ input: Operations.GetMarketByZip.Input) async throws -> Operations.GetMarketByZip.Output {
        _ = try caller()
        let zip = input.path.zip
        guard zip.count == 5, zip.allSatisfy(\.isNumber) else {
            throw Problem.badRequest("zip must be a 5-digit ZIP code, not \(zip.prefix(20)).")
        }
        guard let market = try await store.market(servingZip: zip) else {
            throw Problem.notFound("We do not serve ZIP code \(zip) yet. Please call us to schedule a visit.")
                .with("zip", zip)
        }
        return .ok(.init(body: .json(.init(market))))
    }

    func getMarketAvailability(_ input: Operations.GetMarketAvailability.Input) async throws -> Operations.GetMarketAvailability.Output {
        _ = try caller()
        let id = try Self.id(input.path.marketId, MarketID.self, name: "marketId")
        guard let from = LocalDate(iso: input.query.from), let to = LocalDate(iso: input.query.to) else {
            throw Problem.badRequest("from and to must be dates as YYYY-MM-DD.")
        }
        guard from <= to, from.days(to: to) <= 14 else {
            throw Problem.badRequest("to must be on or after from, and at most 14 days later.")
        }
        guard let market = try await store.market(id) else { throw Problem.notFound("No market with id \(input.path.marketId).") }
        let windows = try await store.availability(of: market, from: from, to: to)
        return .ok(.init(body: .json(windows.map(Components.Schemas.TimeWindowAvailability.init))))
    }

    func listServiceLines(_ input: Operations.ListServiceLines.Input) async throws -> Operations.ListServiceLines.Output {
        _ = try caller()
        return .ok(.init(body: .json(try await store.serviceLines().map {
            Components.Schemas.ServiceLine(id: $0.id!.uuidString.lowercased(), name: $0.name)
        })))
    }
}
