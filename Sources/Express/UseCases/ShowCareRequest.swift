import ExpressDomain
import Fluent
import Vocabulary

/// The care request at an address a page or an API caller wrote: the id, or text that is not one.
enum CareRequestAddress: Sendable, Equatable {
    case id(CareRequestID)
    case malformed(String)

    init(_ text: String) { self = CareRequestID(wire: text).map(Self.id) ?? .malformed(text) }
}

/// One of the partner's care requests with who created and changed it; every look, found or not, is audited.
struct ShowCareRequest: Sendable {
    let service: ExpressService

    struct Shown: Sendable {
        var request: CareRequestDetail
        var createdBy: String
        /// The partner's users Station recorded as making a change in its history (or the cancellation), by id.
        var teammates: [UserID: String] = [:]
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
        return Shown(
            request: found, createdBy: ExpressService.createdBy(creator, viewer: context.user.id),
            teammates: try await service.teammates(named: found.actors, partner: partner))
    }

    private func notFound(_ context: UseCaseContext, ids: [String], action: String) async throws -> Never {
        try await service.audit.record(
            AuditEntry(action: context.action(action), careRequestIDs: ids, outcome: "not_found"),
            context.audit)
        throw UseCaseRefusal.notFound
    }
}

extension CareRequestDetail {
    /// The Express users Station recorded as making its changes (an actor that is not a user id is someone else).
    var actors: Set<UserID> {
        Set((statusHistory.map(\.actor) + [cancellation?.actor]).compactMap { $0.flatMap(UserID.init(wire:)) })
    }
}

extension ExpressService {
    /// The names of those of `ids` who are users of `partner` (another partner's or a staff id is not shown).
    func teammates(named ids: Set<UserID>, partner: PartnerID) async throws -> [UserID: String] {
        guard !ids.isEmpty else { return [:] }
        let users = try await UserModel.query(on: db).filter(\.$id ~~ ids.map(\.rawValue))
            .filter(\.$partnerID == partner.rawValue).all()
        return Dictionary(users.map { ($0.userID, $0.name) }, uniquingKeysWith: { first, _ in first })
    }
}
