import Foundation
import Secrets
import Vocabulary

/// An onboarding in progress: what the person answered at each step, saved at every step so nothing typed is
/// lost, and where it stands.
package struct Draft: Sendable, Equatable, Identifiable {
    package typealias ID = DraftID

    package var id: ID
    package var audience: Audience
    package var owner: Owner
    package var answers: Answers
    package var status: Status
    /// Where the partner app goes back to in Express (the handoff's, allow-listed); nil for patients.
    package var returnURL: String?
    /// Synthetic monitoring's draft: Station's request is created synthetic.
    package var synthetic: Bool
    /// The steps whose form was accepted at least once (an edit after "Change" accepts a step again, but it was
    /// done already): product analytics counts each step once per draft.
    package var completedSteps: Set<Step>
    package var createdAt: Date
    package var updatedAt: Date

    package init(
        id: ID, audience: Audience, owner: Owner, answers: Answers = Answers(), status: Status = .open,
        returnURL: String? = nil, synthetic: Bool = false, completedSteps: Set<Step> = [], createdAt: Date,
        updatedAt: Date? = nil
    ) {
        self.id = id
        self.audience = audience
        self.owner = owner
        self.answers = answers
        self.status = status
        self.returnURL = returnURL
        self.synthetic = synthetic
        self.completedSteps = completedSteps
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }

    package var partner: PartnerID? { owner.partnerID }

    /// Records that `step`'s form was accepted; true the first time only.
    package mutating func markCompleted(_ step: Step) -> Bool { completedSteps.insert(step).inserted }

    /// Follows this draft's attempt without naming it: a hash of the id, never the id (the first 12 hex
    /// characters of SHA-256, like a handoff's fingerprint).
    package var fingerprint: String { Secrets.handoffFingerprint("draft:" + id.wire) }

    package enum Status: Hashable, Sendable {
        case open
        /// A submit holds the draft (one at a time); one that died half-way is reopened after a while.
        case submitting
        case submitted(CareRequestID)
        case cancelled
        /// Screening found an emergency sign: the person was sent to call 911, nothing is created.
        case emergency
    }

    /// A field of the onboarding forms, named as the forms post it and as errors are shown beside it.
    package enum Field: String, CaseIterable, Codable, CodingKeyRepresentable, Sendable {
        case givenName = "given_name"
        case familyName = "family_name"
        case dateOfBirth = "date_of_birth"
        case sex, phone
        case chiefComplaint = "chief_complaint"
        case line1, line2, city, state, zip
        /// The chosen window as the form posts it (`start|end`).
        case window
        /// Where the window step's error is shown.
        case windowStart = "window_start"
        case selfPay = "self_pay"
        case payer
        case memberID = "member_id"
        case groupNumber = "group_number"
        case poaName = "poa_name"
        case poaPhone = "poa_phone"
        case callbackName = "callback_name"
        case callbackPhone = "callback_phone"
    }

    /// What is wrong with a step's answers, a message for the person beside each bad field.
    package typealias FieldErrors = [Field: String]

    /// The steps this draft goes through: no time window when a nurse must call first.
    package var steps: [Step] { Step.sequence(needsNurse: answers.reason?.outcome == .nurseTriage) }
}
