import Vocabulary

/// Who made a care request, as far as Station knows: what FHIR's `ServiceRequest.requester` may say, and
/// whether the reason for the visit is the partner's own words (only then is it shown back to the partner).
package enum CareRequestAuthor: Equatable, Sendable {
    /// A partner's user, by the calling system's user id (Express's).
    case partnerUser(String)
    /// The partner's system (Express, or OSS on the partner's behalf) without a recorded user.
    case partner
    /// The patient (or family) through OSS.
    case patient
    /// Our own phone line.
    case phone

    package init(source: CareRequestSource, createdByUserID: String?) {
        if let user = createdByUserID, !user.isEmpty {
            self = .partnerUser(user)
            return
        }
        self =
            switch source {
            case .express, .ossPartner: .partner
            case .ossD2M: .patient
            case .phone: .phone
            }
    }

    /// Whether the partner supplied the request (and so its chief complaint).
    package var isPartner: Bool {
        switch self {
        case .partnerUser, .partner: true
        case .patient, .phone: false
        }
    }
}
