import Foundation
import OSSDomain
import Platform
import Vocabulary

/// A change's events: the care request, the audience and, for a partner user, the change handoff's fingerprint and
/// intent (so Express's Care Request Change Started and OSS's outcome are one attempt). Synthetic monitoring's
/// handoffs send nothing.
extension ChangeController {
    func track(_ name: AnalyticsEventName, _ subject: Subject, _ extra: [AnalyticsProperty: AnalyticsValue] = [:])
        async
    {
        await track(name, user: subject.user, handoff: subject.handoff, careRequest: subject.request.id, extra)
    }

    func track(
        _ name: AnalyticsEventName, user: FlowUser, handoff: Handoff?, careRequest: CareRequestID,
        _ extra: [AnalyticsProperty: AnalyticsValue] = [:]
    ) async {
        var properties = extra
        properties[.careRequestID] = .string(careRequest.wire)
        properties[.audience] = .string(app.audience.rawValue)
        if let handoff {
            guard !handoff.synthetic else { return }
            properties[.handoffFingerprint] = .string(handoff.fingerprint)
            properties[.intent] = .string(handoff.intent.rawValue)
        }
        await service.tracker.track(
            TrackedEvent(name, properties), by: user.owner.analyticsActor, partner: user.partner)
    }

    /// The page told the person to phone instead of changing the visit here.
    func phonePage(_ reason: PhoneReason, _ subject: Subject) async {
        await track(.phonePageShown, subject, [.reason: .string(reason.rawValue)])
    }
}
