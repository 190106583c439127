import Foundation
import OSSDomain
import Platform
import Vocabulary

/// The events of one attempt at scheduling (a draft): each carries the attempt (the handoff's fingerprint for a
/// partner user, the draft's own fingerprint for a patient), the audience and the partner, and is done by the
/// draft's owner. Synthetic monitoring's attempts send nothing.
struct AttemptTracker: Sendable {
    let tracker: Tracker
    /// nil: send nothing.
    let attempt: AnalyticsAttempt?
    let audience: Audience
    let actor: AnalyticsActor
    let partner: PartnerID?

    func track(_ name: AnalyticsEventName, _ extra: [AnalyticsProperty: AnalyticsValue] = [:]) async {
        await track([TrackedEvent(name, extra)])
    }

    func track(_ events: [TrackedEvent]) async {
        guard let attempt else { return }
        for event in events {
            var properties = event.properties
            properties[.audience] = .string(audience.rawValue)
            await tracker.track(.attempt(event.name, attempt, properties), by: actor, partner: partner)
        }
    }

    /// The page told the person to phone instead.
    func phonePage(_ reason: PhoneReason) async {
        await track(.phonePageShown, [.reason: .string(reason.rawValue)])
    }
}

/// Why OSS told someone to phone (Phone Page Shown's `reason`).
enum PhoneReason: String, Sendable {
    /// Screening found an emergency sign: call 911.
    case emergency
    /// No time window is open in the next week.
    case noWindows = "no_windows"
    /// No market visits the ZIP code.
    case notServed = "not_served"
    case stationUnavailable = "station_unavailable"
    case policyUnavailable = "policy_unavailable"
    case serviceUnavailable = "service_unavailable"
    /// The visit has started, or the request has ended: only a call changes it (the same words as Express's).
    case visitStarted = "visit_started"
    case requestEnded = "request_ended"
    /// A nurse has not set the visit's time yet: a call changes it.
    case awaitingNurseCall = "awaiting_nurse_call"

    init(_ error: Unavailable) {
        switch error.service {
        case "Station": self = .stationUnavailable
        case "Policy": self = .policyUnavailable
        default: self = .serviceUnavailable
        }
    }
}

extension Owner {
    /// Who analytics (and an experiment) knows: the Express user id of a partner user, the patient's account id.
    var analyticsID: String {
        switch self {
        case .partnerUser(_, let user): user.wire
        case .patient(let account): account
        }
    }

    var analyticsActor: AnalyticsActor { .user(analyticsID) }
}

extension OSSService {
    /// The tracker of `draft`'s attempt. A partner draft's attempt is its handoff's (read from the handoff the
    /// draft was redeemed from); a lookup that fails sends nothing rather than failing the page.
    func attemptTracker(_ draft: Draft) async -> AttemptTracker {
        var attempt: AnalyticsAttempt?
        if !draft.synthetic {
            switch draft.audience {
            case .direct: attempt = .draft(fingerprint: draft.fingerprint)
            case .partner:
                attempt = (try? await handoff(draft: draft.id)).map { .handoff(fingerprint: $0.fingerprint) }
            }
        }
        return AttemptTracker(
            tracker: tracker, attempt: attempt, audience: draft.audience, actor: draft.owner.analyticsActor,
            partner: draft.partner)
    }

    /// The tracker of a partner user's handoff (nothing for synthetic monitoring's).
    func attemptTracker(_ handoff: Handoff) -> AttemptTracker {
        AttemptTracker(
            tracker: tracker, attempt: handoff.synthetic ? nil : .handoff(fingerprint: handoff.fingerprint),
            audience: .partner, actor: .user(handoff.user.wire), partner: handoff.partner)
    }

    /// A partner user arrived by `handoff`: who they are and their partner, then Handoff Redeemed.
    func trackRedeemed(_ handoff: Handoff, roles: [String]) async {
        guard !handoff.synthetic else { return }
        let actor = AnalyticsActor.user(handoff.user.wire)
        await tracker.identify(actor, roles: roles, partner: handoff.partner)
        await tracker.group(actor, partner: handoff.partner)
        var extra: [AnalyticsProperty: AnalyticsValue] = [:]
        if handoff.intent != .new { extra[.intent] = .string(handoff.intent.rawValue) }
        await attemptTracker(handoff).track(.handoffRedeemed, extra)
    }
}
