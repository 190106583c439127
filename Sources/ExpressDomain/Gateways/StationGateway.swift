import Foundation
import Vocabulary

/// A downstream service did not answer as it should: the user sees a clear page with a retry.
package struct ServiceUnavailable: Error, CustomStringConvertible {
    package var service: String
    package var description: String

    package init(service: String, description: String) {
        self.service = service
        self.description = description
    }
}

/// Something the caller asked for that the downstream service refused as bad input (a stale page link).
package struct DownstreamBadRequest: Error {
    package var detail: String

    package init(detail: String) { self.detail = detail }
}

/// What Express asks of Station, always for one partner. Calls throw ``ServiceUnavailable`` when Station cannot
/// answer, and ``DownstreamBadRequest`` when it refuses what was asked (a cursor it did not hand out).
package protocol StationGateway: Sendable {
    /// One page of the partner's current or past care requests; none for a partner Station does not know.
    func careRequests(partner: PartnerID, phase: CareRequestPhase, cursor: String?, limit: Int) async throws
        -> CareRequestPage
    /// One page of the partner's care requests matching `filter`, newest first; none for a partner Station does not
    /// know. Sent in a request body, so that a patient's name searched for is never in a URL. `cursor` is one this
    /// call handed out for the same filter.
    func searchCareRequests(partner: PartnerID, filter: CareRequestFilter, cursor: String?, limit: Int) async throws
        -> CareRequestPage
    /// nil when Station has no such care request for this partner.
    func careRequest(partner: PartnerID, id: CareRequestID) async throws -> CareRequestDetail?
    /// One page of the partner's patients matching `query` (a name, a birth date, a phone number, an MRN).
    func searchPatients(partner: PartnerID, query: String, cursor: String?, limit: Int) async throws -> PatientPage
    /// The markets Station serves.
    func markets() async throws -> [Market]
}

extension StationGateway {
    /// A page of `filter`: Station's plain list when it holds only a phase, else its search.
    package func careRequests(partner: PartnerID, filter: CareRequestFilter, cursor: String?, limit: Int)
        async throws -> CareRequestPage
    {
        filter.isPlain
            ? try await careRequests(partner: partner, phase: filter.phase, cursor: cursor, limit: limit)
            : try await searchCareRequests(partner: partner, filter: filter, cursor: cursor, limit: limit)
    }
}
