import Foundation
import Secrets
import Vocabulary

/// A handoff pushed by Express: what Express knew (partner, user, perhaps a patient) kept under a one-time handle,
/// stored only as the handle's hash. Redeemed once, by the user it was made for, into one draft; or, for a change
/// (``HandoffIntent/reschedule`` or ``HandoffIntent/cancel``), into that user's grant to change one care request.
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
    /// What the user goes on to do: a new care request, or a change to ``careRequest``.
    package var intent: HandoffIntent
    /// The care request a change handoff is for; nil for a new one.
    package var careRequest: CareRequestID?
    package var createdAt: Date
    package var expiresAt: Date
    package var redeemedAt: Date?
    package var draft: DraftID?

    package init(
        id: ID, fingerprint: String, partner: PartnerID, user: UserID, patient: PatientID?, returnURL: String,
        synthetic: Bool, intent: HandoffIntent = .new, careRequest: CareRequestID? = nil, createdAt: Date,
        expiresAt: Date, redeemedAt: Date? = nil, draft: DraftID? = nil
    ) {
        self.id = id
        self.fingerprint = fingerprint
        self.partner = partner
        self.user = user
        self.patient = patient
        self.returnURL = returnURL
        self.synthetic = synthetic
        self.intent = intent
        self.careRequest = careRequest
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
        package var intent: HandoffIntent
        package var careRequest: String?

        package init(
            partner: String, user: String, patient: String?, returnURL: String, synthetic: Bool,
            intent: HandoffIntent = .new, careRequest: String? = nil
        ) {
            self.partner = partner
            self.user = user
            self.patient = patient
            self.returnURL = returnURL
            self.synthetic = synthetic
            self.intent = intent
            self.careRequest = careRequest
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
        var careRequest: CareRequestID?
        switch (push.intent, push.careRequest) {
        case (.new, nil): break
        case (.new, .some):
            errors.append(.init(field: "care_request_id", message: "is only for a reschedule or a cancellation"))
        case (.reschedule, nil), (.cancel, nil):
            errors.append(.init(field: "care_request_id", message: "is required to \(push.intent.rawValue)"))
        case (.reschedule, .some(let raw)), (.cancel, .some(let raw)):
            careRequest = CareRequestID(wire: raw)
            if careRequest == nil { errors.append(.init(field: "care_request_id", message: "must be a UUID")) }
        }
        guard errors.isEmpty, let partner, let user else { return .failure(Refusal(fields: errors)) }
        return .success(
            Handoff(
                id: id(of: handle), fingerprint: fingerprint(of: handle), partner: partner, user: user,
                patient: patient, returnURL: push.returnURL, synthetic: push.synthetic, intent: push.intent,
                careRequest: careRequest, createdAt: now,
                expiresAt: now.addingTimeInterval(lifetime)))
    }

    /// What opening or redeeming the handle leads to for a signed-in person.
    package enum Redemption: Equatable, Sendable {
        /// Made for another user (or another partner): refused, and audited.
        case forSomeoneElse
        /// Redeemed before, by this user: back to the same draft, however late.
        case redeemed(DraftID)
        /// A change handoff redeemed before, by this user: back to the same change of the same request.
        case redeemedChange(HandoffIntent, CareRequestID)
        case expired
        /// Spendable: this user may start the draft now.
        case open
    }

    /// The one rule for opening and redeeming a handle: only the user it was made for, into one draft (or one
    /// change of one care request), before it expires.
    package func redemption(by owner: Owner, at now: Date) -> Redemption {
        guard owner == .partnerUser(partner, user) else { return .forSomeoneElse }
        if let draft { return .redeemed(draft) }
        if let change, redeemedAt != nil { return .redeemedChange(change.intent, change.careRequest) }
        guard expiresAt > now else { return .expired }
        return .open
    }

    /// What a change handoff changes: its intent and care request; nil for a new care request.
    package var change: (intent: HandoffIntent, careRequest: CareRequestID)? {
        guard intent != .new, let careRequest else { return nil }
        return (intent, careRequest)
    }

    /// The draft this handoff starts for its user, with the patient's answers when one was prefilled.
    package func startDraft(id: DraftID, answers: Draft.Answers, now: Date) -> Draft {
        Draft(
            id: id, audience: .partner, owner: .partnerUser(partner, user), answers: answers, status: .open,
            returnURL: returnURL, synthetic: synthetic, createdAt: now)
    }
}
