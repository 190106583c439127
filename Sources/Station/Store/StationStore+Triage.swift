import Fluent
import Foundation
import SQLKit
import StationDomain
import Vocabulary

/// The window a nurse chose filled up first; the transaction rolls back before the next windows are asked.
private struct FullWindow: Error {
    let market: MarketModel
}

/// A request waiting for a nurse, with who asked for it.
struct TriageQueueEntry: Sendable {
    var record: CareRequestRecord
    var partnerName: String?
}

extension StationStore {
    /// The most a queue answers at once: far more than nurses work through, so nothing waits unseen for long.
    static let triageQueueLimit = 500

    /// Every `pending_triage` request in `markets` (or in `market` alone), oldest first.
    func triageQueue(markets: MarketAccess, market: MarketID?) async throws -> [TriageQueueEntry] {
        let query = CareRequestModel.query(on: db)
            .filter(\.$status == CareRequestStatus.pendingTriage.rawValue)
            .filter(\.$synthetic == false)
        if let market {
            query.filter(\.$marketID == market.rawValue)
        } else if let ids = markets.ids {
            query.filter(\.$marketID ~~ ids.map(\.rawValue))
        }
        let models = try await query.sort(\.$createdMs).sort(\.$id).limit(Self.triageQueueLimit).all()
        let partnerIDs = Set(models.compactMap(\.partnerID))
        let partners =
            partnerIDs.isEmpty
            ? [] : try await PartnerModel.query(on: db).filter(\.$id ~~ partnerIDs).all()
        let names = Dictionary(uniqueKeysWithValues: partners.compactMap { p in p.id.map { ($0, p.name) } })
        var entries: [TriageQueueEntry] = []
        for model in models {
            guard let record = try await careRequest(CareRequestID(try model.requireID())) else { continue }
            entries.append(TriageQueueEntry(record: record, partnerName: model.partnerID.flatMap { names[$0] }))
        }
        return entries
    }

    /// Records a nurse's outcome: the request leaves `pending_triage` (only if it is still there: of two nurses
    /// the second is told who was first), a schedule reserves its window in the same transaction.
    func recordTriageOutcome(
        _ id: CareRequestID, _ outcome: TriageOutcome, actor: String, markets: MarketAccess
    ) async throws -> CareRequestRecord {
        do {
            return try await write { db in
                guard let model = try await CareRequestModel.find(id.rawValue, on: db),
                    markets.allows(MarketID(model.marketID)), !model.synthetic,
                    let market = try await MarketModel.find(model.marketID, on: db)
                else { throw StationError.notFound("care request") }
                let current = model.statusValue
                guard current == .pendingTriage else {
                    throw StationError.statusConflict(try await conflict(id, market: model.marketID, on: db))
                }
                if let window = outcome.window, !market.schedule.isBookable(window, now: now()) {
                    throw StationError.invalid(
                        .single(
                            "window_start",
                            "is not one of the \(market.name) market's published time windows still ahead"))
                }
                let at = timestamp()
                try await Self.move(id, from: current, to: outcome.status, window: outcome.window, at: at, on: db) {
                    try await conflict(id, market: model.marketID, on: db)
                }
                if let window = outcome.window {
                    do {
                        try await Self.reserve(window, in: market, on: db)
                    } catch is WindowFull {
                        throw FullWindow(market: market)
                    }
                }
                try await StatusChangeModel(
                    careRequestID: id.rawValue, from: current, to: outcome.status, actor: actor,
                    reason: outcome.reason, at: at
                ).insert(on: db)
                guard let record = try await careRequest(id, on: db) else {
                    throw StationError.notFound("care request")
                }
                try await publish(
                    [
                        .statusChanged(
                            id, partner: model.partnerID.map { PartnerID($0) }, from: current, to: outcome.status,
                            window: record.model.timeWindow, eta: record.model.eta, at: at)
                    ], on: db)
                return record
            }
        } catch let full as FullWindow {
            // Asked after the rollback, so the answer counts only places really taken.
            throw StationError.windowFull(next: try await nextAvailableWindows(of: full.market))
        }
    }
}
