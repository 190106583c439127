import Foundation
import Secrets
import Vocabulary

/// A handoff pushed by Express: what Express knew (partner, user, perhaps a patient) kept under a one-time handle,
/// stored only as the handle's hash. Redeemed once, by the user it was made for, into one draft.
package struct Handoff: Sendable, Equatable, Identifiable {
    package typealias ID = HandoffID

    package var id: ID
    /// The first 12 hex characters of the handle's SHA-256, the same as Express logs: enough to trace, never to redeem.
    package var fingerprint: String
    package var partner: PartnerID
    package var user: UserID
    package var patient: PatientID?
    package var returnURL: String
    package var synthetic: Bool
    package var createdAt: Date
    package var expiresAt: Date
    package var redeemedAt: Date?
    package var draft: DraftID?

    package init(
        id: ID, fingerprint: String, partner: PartnerID, user: UserID, patient: PatientID?, returnURL: String,
        synthetic: Bool, createdAt: Date, expiresAt: Date, redeemedAt: Date? = nil, draft: DraftID? = nil
    ) {
        self.id = id
        self.fingerprint = fingerprint
        self.partner = partner
        self.user = user
        self.patient = patient
        self.returnURL = returnURL
        self.synthetic = synthetic
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.redeemedAt = redeemedAt
        self.draft = draft
    }

    /// The SHA-256 of the handle, hex: the handoff's id (the handle itself is never kept).
    package static func id(of handle: String) -> ID {
        ID(rawValue: Secrets.sha256Hex(handle))
    }

    package static func fingerprint(of handle: String) -> String {
        Secrets.handoffFingerprint(handle)
    }

    /// What Express pushed, field by field as it arrived.
    package struct Push: Sendable {
        package var partner: String
        package var user: String
        package var patient: String?
        package var returnURL: String
        package var synthetic: Bool

        package init(partner: String, user: String, patient: String?, returnURL: String, synthetic: Bool) {
            self.partner = partner
            self.user = user
            self.patient = patient
            self.returnURL = returnURL
            self.synthetic = synthetic
        }
    }

    /// The pushed fields Express must correct.
    package struct Refusal: Error, Sendable, Equatable {
        package struct Field: Sendable, Equatable {
            package var field: String
            package var message: String
        }

        package var fields: [Field]
    }

    /// The handoff for `push` under `handle`, valid for `lifetime` from `now`; every bad field when it cannot be made.
    package static func create(
        _ push: Push, handle: String, now: Date, lifetime: TimeInterval,
        allowedReturnOrigins: [String]
    ) -> Result<Handoff, Refusal> {
        var errors: [Refusal.Field] = []
        let partner = PartnerID(wire: push.partner)
        if partner == nil { errors.append(.init(field: "partner_id", message: "must be a UUID")) }
        var patient: PatientID?
        if let raw = push.patient {
            patient = PatientID(wire: raw)
            if patient == nil { errors.append(.init(field: "patient_id", message: "must be a UUID")) }
        }
        let user = UserID(wire: push.user.trimmingCharacters(in: .whitespaces))
        if push.user.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.append(.init(field: "user_id", message: "is required"))
        } else if user == nil {
            errors.append(.init(field: "user_id", message: "must be an Express user id"))
        }
        if !ReturnURLPolicy.isAllowed(push.returnURL, origins: allowedReturnOrigins) {
            errors.append(.init(field: "return_url", message: "must be on an allow-listed Express origin"))
        }
        guard errors.isEmpty, let partner, let user else { return .failure(Refusal(fields: errors)) }
        return .success(
            Handoff(
                id: id(of: handle), fingerprint: fingerprint(of: handle), partner: partner, user: user,
                patient: patient, returnURL: push.returnURL, synthetic: push.synthetic, createdAt: now,
                expiresAt: now.addingTimeInterval(lifetime)))
    }

    /// What opening or redeeming the handle leads to for a signed-in person.
    package enum Redemption: Equatable, Sendable {
        /// Made for another user (or another partner): refused, and audited.
        case forSomeoneElse
        /// Redeemed before, by this user: back to the same draft, however late.
        case redeemed(DraftID)
        case expired
        /// Spendable: this user may start the draft now.
        case open
    }

    /// The one rule for opening and redeeming a handle: only the user it was made for, into one draft, before
    /// it expires.
    package func redemption(by owner: Owner, at now: Date) -> Redemption {
        guard owner == .partnerUser(partner, user) else { return .forSomeoneElse }
        if let draft { return .redeemed(draft) }
        guard expiresAt > now else { return .expired }
        return .open
    }

    /// The draft this handoff starts for its user, with the patient's answers when one was prefilled.
    package func startDraft(id: DraftID, answers: Draft.Answers, now: Date) -> Draft {
        Draft(
            id: id, audience: .partner, owner: .partnerUser(partner, user), answers: answers, status: .open,
            returnURL: returnURL, synthetic: synthetic, createdAt: now)
    }
}
