import Foundation
import Platform
import StationAPI
import StationDomain
import Vocabulary

extension CareRequestSearch {
    /// Parses the search's enums and market id; the rest is checked by ``CareRequestSearch/validate()``.
    init(_ b: Components.Schemas.CareRequestSearch) throws {
        self.init(
            phase: try b.phase.map { try CareRequestPhase(mapping: $0.rawValue) },
            statuses: Set(try (b.statuses ?? []).map { try CareRequestStatus(mapping: $0.rawValue) }),
            market: try b.marketId.map { try StationAPIHandler.id($0, MarketID.self, name: "market_id") },
            createdFrom: b.createdFrom, createdBefore: b.createdBefore,
            createdBy: b.createdByUserId, patientName: b.patientName)
    }
}

extension Components.Schemas.Cancellation {
    init(_ c: Cancellation) throws {
        self.init(reason: try .init(mapping: c.reason.rawValue), note: c.note, cancelledAt: c.at, actor: c.actor)
    }
}
