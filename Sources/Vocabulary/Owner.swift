/// Who a draft or a request belongs to: a partner user acting for their partner, or a patient scheduling for
/// themselves (known by their identity account's subject).
package enum Owner: Hashable, Codable, Sendable {
    case partnerUser(PartnerID, UserID)
    case patient(account: String)

    package var partnerID: PartnerID? {
        if case .partnerUser(let partner, _) = self { return partner }
        return nil
    }

    /// The actor recorded in audit rows: the Express user id, or the patient's account subject.
    package var actor: String {
        switch self {
        case .partnerUser(_, let user): user.wire
        case .patient(let account): account
        }
    }
}
