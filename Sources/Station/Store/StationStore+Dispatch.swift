import Fluent
import Foundation
import StationDomain
import Vocabulary

extension StationStore {
    /// Moves a care request along an allowed transition and records it in the history.
    func changeStatus(
        _ id: CareRequestID, to next: CareRequestStatus, actor: String, reason: String?,
        eta: DateInterval?, partner: PartnerID?? = .none
    ) async throws -> CareRequestRecord {
        try await write { db in
            guard let model = try await CareRequestModel.find(id.rawValue, on: db) else {
                throw StationError.notFound("care request")
            }
            if case .some(let scope) = partner, model.partnerID != scope?.rawValue {
                throw StationError.notFound("care request")
            }
            let current = model.statusValue
            do {
                try StatusTransition(from: current, to: next, reason: reason, eta: eta).validate(now: now())
            } catch let refusal as StatusTransition.Refusal {
                throw StationError.transition(refusal)
            }
            let at = timestamp()
            model.setStatus(next)
            if let eta {
                model.etaStart = eta.start
                model.etaEnd = eta.end
            }
            model.updatedAt = at
            try await model.save(on: db)
            if next == .archived, let window = model.timeWindow {
                try await Self.release(window, marketID: model.marketID, on: db)
            }
            try await StatusChangeModel(
                careRequestID: id.rawValue, from: current, to: next, actor: actor,
                reason: reason, at: at
            ).create(on: db)
            guard let record = try await careRequest(id, on: db) else { throw StationError.notFound("care request") }
            try await publish(
                [
                    .statusChanged(
                        id, partner: model.partnerID.map { PartnerID($0) }, from: current, to: next,
                        window: model.timeWindow, eta: model.eta, at: at)
                ], on: db)
            return record
        }
    }
}
