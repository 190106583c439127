import ExpressDomain
import Logging
import Vocabulary

/// Who acts and where the action came from: what every use case is given, from a page or the partner API alike
/// (never a web request).
struct UseCaseContext: Sendable {
    enum Channel: Sendable { case pages, partnerAPI }

    var user: ActingUser
    var channel: Channel
    /// The request's id and the caller's address, for the audit trail.
    var requestID: String
    var client: String
    var logger: Logger

    var audit: AuditContext { AuditContext(user: user.id, partner: user.partner, requestID: requestID, client: client) }

    /// An audited read's action: the partner API's reads are told apart from the pages' ("api.care_requests.list").
    func action(_ name: String) -> String { channel == .partnerAPI ? "api.\(name)" : name }
}

/// Why a use case did not do what was asked; each edge says it in its own words (a page, a problem+json).
enum UseCaseRefusal: Error, Equatable {
    /// Care requests from Station are not switched on for the partner.
    case careRequestsOff
    /// Online scheduling (the OSS handoff) is not switched on for the partner.
    case onlineSchedulingOff
    /// The user's role does not allow it.
    case notAllowed
    /// Nothing of the partner's at that id (unknown and another partner's look alike).
    case notFound
    /// The id is not an id at all.
    case malformedID
    /// A page size outside 1 to 100.
    case invalidLimit
}
