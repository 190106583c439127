import Foundation
import Platform
import StationAPI
import StationDomain
import Vocabulary

extension StationAPIHandler {
    func listTriageQueue(_ input: Operations.ListTriageQueue.Input) async throws -> Operations.ListTriageQueue.Output {
        let markets = try Self.staffMarkets(try caller())
        var market: MarketID?
        if let raw = input.query.marketId {
            let id = try Self.id(raw, MarketID.self, name: "market_id")
            guard markets.allows(id), try await store.market(id) != nil else {
                throw Problem.notFound("No market with id \(id.wire).")
            }
            market = id
        }
        let queue = try await store.triageQueue(markets: markets, market: market)
        return .ok(.init(body: .json(.init(items: try queue.map(Components.Schemas.TriageItem.init)))))
    }

    func recordTriageOutcome(_ input: Operations.RecordTriageOutcome.Input) async throws
        -> Operations.RecordTriageOutcome.Output
    {
        let principal = try caller()
        let markets = try Self.staffMarkets(principal)
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the triage outcome as JSON.") }
        let id = try Self.id(input.path.careRequestId, CareRequestID.self, name: "careRequestId")
        let outcome = try TriageOutcome(body)
        let record = try await store.recordTriageOutcome(id, outcome, actor: Self.actor(principal), markets: markets)
        return .ok(.init(body: .json(try .init(record))))
    }
}

extension TriageOutcome {
    init(_ b: Components.Schemas.TriageOutcomeRequest) throws {
        self = try TriageOutcome(
            kind: try Kind(mapping: b.outcome.rawValue), note: b.note, windowStart: b.windowStart,
            windowEnd: b.windowEnd, reasonCode: b.reasonCode)
    }
}

extension Components.Schemas.TriageItem {
    init(_ entry: TriageQueueEntry) throws {
        self.init(
            careRequest: try .init(entry.record), patient: try .init(entry.record.patient),
            partnerName: entry.partnerName, waitingSince: entry.record.model.createdAt)
    }
}
