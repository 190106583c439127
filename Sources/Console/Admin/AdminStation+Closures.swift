import ConsoleDomain
import Foundation
import Platform
import StationAPI
import Vocabulary

extension AdminStation {
    func closures(_ market: MarketID) async throws -> [Components.Schemas.Closure] {
        try await StationStaffGateway.call {
            switch try await client.listClosures(path: .init(marketId: market.wire)) {
            case .ok(let ok): return try ok.body.json
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }

    func addClosure(_ market: MarketID, _ closure: ConsoleDomain.Closure) async throws {
        try await StationStaffGateway.call {
            switch try await client.addClosure(
                path: .init(marketId: market.wire, date: closure.date.iso), body: .json(.init(reason: closure.reason)))
            {
            case .ok: return
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }

    func removeClosure(_ market: MarketID, on date: String) async throws {
        try await StationStaffGateway.call {
            switch try await client.removeClosure(path: .init(marketId: market.wire, date: date)) {
            case .noContent: return
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }
}
