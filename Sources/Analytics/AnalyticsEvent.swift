/// Every `track` event the product sends, named "Object Action" as Segment's spec asks. The funnel
/// (``FunnelReport``) reads these names; add a case here before sending a new one.
package enum AnalyticsEventName: String, Codable, Sendable, CaseIterable {
    // Express
    /// A partner user started a new request: Express pushed a handoff to OSS (`handoff_fingerprint`).
    case careRequestStarted = "Care Request Started"
    /// A partner user started a change or cancellation of a request through OSS (`intent`, `handoff_fingerprint`).
    case careRequestChangeStarted = "Care Request Change Started"
    /// The user came back to Express from OSS (`outcome`, `handoff_fingerprint` when known).
    case handoffReturned = "Handoff Returned"
    /// A partner user searched the partner's patients (`results`, a count).
    case patientsSearched = "Patients Searched"
    /// The "schedule by phone" page was shown instead of online scheduling (`reason`).
    case phonePageShown = "Phone Page Shown"
    /// A partner user opened a page of the care request list (`tab`, `results` on the page, `filtered`).
    case careRequestsListed = "Care Requests Listed"
    /// A partner admin downloaded the list as CSV (`results` rows, `with_names`, `cut` when the file was cut short).
    case careRequestsExported = "Care Requests Exported"

    // OSS
    /// OSS redeemed a handoff's one-time handle (`handoff_fingerprint`).
    case handoffRedeemed = "Handoff Redeemed"
    /// One onboarding step was completed (`step`: patient, reason, location, window, details, review).
    case onboardingStepCompleted = "Onboarding Step Completed"
    /// Screening ran on the reason for the visit (`outcome`: self_schedule, nurse_triage, emergency).
    case screeningCompleted = "Screening Completed"
    /// The person was told to call 911 instead of scheduling.
    case emergencyAdvised = "Emergency Advised"
    /// A nurse must call before a window is booked.
    case nurseCallNeeded = "Nurse Call Needed"
    /// The person pressed submit on the review step.
    case careRequestSubmitted = "Care Request Submitted"
    /// Station created the care request (`care_request_id`).
    case careRequestCreated = "Care Request Created"
    /// A care request was cancelled (`care_request_id`; by a partner user, a patient or staff).
    case careRequestCancelled = "Care Request Cancelled"
    /// A care request's window was moved (`care_request_id`).
    case careRequestRescheduled = "Care Request Rescheduled"
    /// A person first saw a variant of an experiment (`experiment_id`, `variation_id`), Segment's A/B testing name.
    case experimentViewed = "Experiment Viewed"

    // Console
    /// A nurse recorded a triage decision (`outcome`).
    case triageDecisionRecorded = "Triage Decision Recorded"
    /// Staff changed a visit's status on the dispatch board (`status`).
    case visitStatusChanged = "Visit Status Changed"
    /// An operations admin onboarded a partner.
    case partnerOnboarded = "Partner Onboarded"
    /// An operations admin opened the self-scheduling funnel.
    case funnelViewed = "Funnel Viewed"
}

/// The property and trait keys the product uses; nothing else is ever sent.
package enum AnalyticsProperty: String, Codable, Sendable, CaseIterable {
    case partnerID = "partner_id"
    /// One attempt followed across apps: the handoff's fingerprint (partner users).
    case handoffFingerprint = "handoff_fingerprint"
    /// One attempt of a patient scheduling directly: the draft's fingerprint (OSS, no handoff).
    case draftFingerprint = "draft_fingerprint"
    /// `partner` (a partner user through a handoff) or `direct` (a patient).
    case audience
    case step
    case outcome
    case intent
    case reason
    case results
    case status
    case careRequestID = "care_request_id"
    case experimentID = "experiment_id"
    case variationID = "variation_id"
    /// Express: the care request list's tab (`current`, `past`).
    case tab
    /// Express: whether a filter or search narrowed the list (a flag, never the filter's text).
    case filtered
    /// Express: whether a new request was started for a patient chosen from search (a flag, never the patient).
    case withPatient = "with_patient"
    /// Express: whether an export included patient names (a flag).
    case withNames = "with_names"
    /// Express: whether an export was cut short at its row limit (a flag).
    case cut
    /// Traits: the person's roles (a partner role, a staff role, or `patient`).
    case roles
}

/// A `track` event ready to send: a name from the catalogue with known-value properties. Build it with the
/// helpers below or ``init(_:_:)`` with ``AnalyticsProperty`` keys, never from text a person typed.
package struct TrackedEvent: Sendable, Equatable {
    package var name: AnalyticsEventName
    package var properties: [AnalyticsProperty: AnalyticsValue]

    package init(_ name: AnalyticsEventName, _ properties: [AnalyticsProperty: AnalyticsValue] = [:]) {
        self.name = name
        self.properties = properties
    }

    /// Properties as Segment's JSON wants them.
    package var wireProperties: [String: AnalyticsValue] {
        Dictionary(uniqueKeysWithValues: properties.map { ($0.key.rawValue, $0.value) })
    }
}

/// Who did it: a signed-in person, or a visitor with an anonymous id (a random UUID kept in their session).
package enum AnalyticsActor: Sendable, Equatable {
    case user(String)
    case anonymous(String)
}

/// One attempt at scheduling, followed across Express and OSS.
package enum AnalyticsAttempt: Sendable, Equatable, Hashable {
    /// A partner user's handoff, by its fingerprint (`Secrets.handoffFingerprint`).
    case handoff(fingerprint: String)
    /// A patient's draft in OSS, by a fingerprint of the draft id (never the id itself).
    case draft(fingerprint: String)

    package var property: (AnalyticsProperty, AnalyticsValue) {
        switch self {
        case .handoff(let fingerprint): (.handoffFingerprint, .string(fingerprint))
        case .draft(let fingerprint): (.draftFingerprint, .string(fingerprint))
        }
    }

    /// The attempt a `track` message belongs to, if any.
    package init?(_ message: AnalyticsMessage) {
        if let value = message.property(.handoffFingerprint) {
            self = .handoff(fingerprint: value)
        } else if let value = message.property(.draftFingerprint) {
            self = .draft(fingerprint: value)
        } else {
            return nil
        }
    }
}

extension TrackedEvent {
    /// `name` for one attempt, with `extra` properties.
    package static func attempt(
        _ name: AnalyticsEventName, _ attempt: AnalyticsAttempt, _ extra: [AnalyticsProperty: AnalyticsValue] = [:]
    ) -> TrackedEvent {
        var properties = extra
        properties[attempt.property.0] = attempt.property.1
        return TrackedEvent(name, properties)
    }
}
