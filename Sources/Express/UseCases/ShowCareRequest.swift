import ExpressDomain
import Vocabulary

/// The care request at an address a page or an API caller wrote: the id, or text that is not one.
enum CareRequestAddress: Sendable, Equatable {
    case id(CareRequestID)
    case malformed(String)

    init(_ text: String) { self = CareRequestID(wire: text).map(Self.id) ?? .malformed(text) }
}

/// One of the partner's care requests with who created it; every look, found or not, is audited.
struct ShowCareRequest: Sendable {
    let service: ExpressService

    struct Shown: Sendable {
        var request: CareRequestDetail
        var createdBy: String
    }

    /// `action` names the look in the audit trail (a live page's refresh of a list row is not an opened request).
    func callAsFunction(
        _ context: UseCaseContext, _ address: CareRequestAddress, action: String = "care_request.view"
    ) async throws -> Shown {
        let partner = context.user.partner
        guard try await service.flags(partner).contains(.stationCareRequests) else {
            throw UseCaseRefusal.careRequestsOff
        }
        let id: CareRequestID
        switch address {
        case .id(let known): id = known
        case .malformed(let text):
            // A page's address that names no request is audited like an unknown one; the API refuses it as bad input.
            guard context.channel == .pages else { throw UseCaseRefusal.malformedID }
            try await notFound(context, ids: [String(text.prefix(64))], action: action)
        }
        guard let found = try await service.station.careRequest(partner: partner, id: id) else {
            try await notFound(context, ids: [id.wire], action: action)
        }
        try await service.audit.record(
            AuditEntry(
                action: context.action(action), careRequests: [found.id],
                patients: [found.patient.id], outcome: "success"), context.audit)
        let creator = try await service.creators(of: [(id, found.createdBy)], partner: partner)[id]
        return Shown(request: found, createdBy: ExpressService.createdBy(creator, viewer: context.user.id))
    }

    private func notFound(_ context: UseCaseContext, ids: [String], action: String) async throws -> Never {
        try await service.audit.record(
            AuditEntry(action: context.action(action), careRequestIDs: ids, outcome: "not_found"),
            context.audit)
        throw UseCaseRefusal.notFound
    }
}
