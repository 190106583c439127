import Analytics
import Foundation

/// A hand-built week of analytics: two partners, patients scheduling directly, and one event of an earlier week.
///
/// - Sunrise: attempt `s1` by user `u1` goes all the way (and `u1` reschedules another request, `c1`) (created 4 min 10 s after it started; `u1` saw the short
///   review), attempt `s2` by `u2` is abandoned after the patient step (`u2` saw the standard review on an
///   earlier, older attempt `s0`, in the week before).
/// - Mercy: a phone page (scheduling off), and attempt `m1`, which a nurse must call (no window step), created
///   10 minutes after it started.
/// - Direct: attempt `d1` by account `a1` is an emergency; a cancellation of care request `cr-9` sent twice.
enum FunnelFixture {
    static let sunrise = "5a7e0000-0000-4000-8000-000000000001"
    static let mercy = "5a7e0000-0000-4000-8000-000000000002"
    static let otherPartner = "5a7e0000-0000-4000-8000-000000000003"
    /// Monday 2026-11-30 09:00 UTC.
    static let monday = Date(timeIntervalSince1970: 1_796_029_200)

    static var messages: [AnalyticsMessage] {
        var events = FunnelEvents(start: monday)
        // The week before: an older Sunrise attempt that reached review under the standard variant.
        events.at(-7 * 24 * 60) {
            $0.track(.careRequestStarted, .express, "u2", sunrise, attempt: "s0")
            $0.track(.onboardingStepCompleted, .oss, "u2", sunrise, attempt: "s0", [.step: "details"])
            $0.track(.experimentViewed, .oss, "u2", sunrise, [.experimentID: "review_step", .variationID: "standard"])
        }
        events.at(0) {
            $0.track(.careRequestStarted, .express, "u1", sunrise, attempt: "s1", [.audience: "partner"])
            $0.track(.handoffRedeemed, .oss, "u1", sunrise, attempt: "s1")
            for step in ["patient", "reason", "location", "window", "details"] {
                $0.track(.onboardingStepCompleted, .oss, "u1", sunrise, attempt: "s1", [.step: step])
            }
            $0.track(.screeningCompleted, .oss, "u1", sunrise, attempt: "s1", [.outcome: "self_schedule"])
            $0.track(.experimentViewed, .oss, "u1", sunrise, [.experimentID: "review_step", .variationID: "short"])
            // A reschedule's handoff is redeemed too, but starts no new request: it is in no stage.
            $0.track(.careRequestChangeStarted, .express, "u1", sunrise, attempt: "c1", [.intent: "reschedule"])
            $0.track(.handoffRedeemed, .oss, "u1", sunrise, attempt: "c1")
        }
        events.at(4) {
            $0.track(.onboardingStepCompleted, .oss, "u1", sunrise, attempt: "s1", [.step: "review"])
            $0.track(.careRequestSubmitted, .oss, "u1", sunrise, attempt: "s1")
        }
        events.at(4, seconds: 10) {
            $0.track(.careRequestCreated, .oss, "u1", sunrise, attempt: "s1", [.careRequestID: "cr-1"])
        }
        events.at(20) {
            $0.identify("u2", sunrise)
            $0.track(.careRequestStarted, .express, "u2", sunrise, attempt: "s2")
            $0.track(.handoffRedeemed, .oss, "u2", sunrise, attempt: "s2")
            $0.track(.onboardingStepCompleted, .oss, "u2", sunrise, attempt: "s2", [.step: "patient"])
            $0.track(.onboardingStepCompleted, .oss, "u2", sunrise, attempt: "s2", [.step: "patient"])
            $0.track(.phonePageShown, .express, "u3", mercy, [.reason: "online_scheduling_off"])
            $0.track(.careRequestStarted, .express, "u4", mercy, attempt: "m1")
            $0.track(.handoffRedeemed, .oss, "u4", mercy, attempt: "m1")
            for step in ["patient", "reason"] {
                $0.track(.onboardingStepCompleted, .oss, "u4", mercy, attempt: "m1", [.step: step])
            }
            $0.track(.screeningCompleted, .oss, "u4", mercy, attempt: "m1", [.outcome: "nurse_triage"])
            $0.track(.nurseCallNeeded, .oss, "u4", mercy, attempt: "m1")
            for step in ["location", "details", "review"] {
                $0.track(.onboardingStepCompleted, .oss, "u4", mercy, attempt: "m1", [.step: step])
            }
            $0.track(.careRequestSubmitted, .oss, "u4", mercy, attempt: "m1")
        }
        events.at(30) {
            $0.track(.careRequestCreated, .oss, "u4", mercy, attempt: "m1", [.careRequestID: "cr-2"])
            $0.track(.careRequestStarted, .oss, "a1", nil, draft: "d1", [.audience: "direct"])
            $0.track(.onboardingStepCompleted, .oss, "a1", nil, draft: "d1", [.step: "patient", .audience: "direct"])
            $0.track(.onboardingStepCompleted, .oss, "a1", nil, draft: "d1", [.step: "reason", .audience: "direct"])
            $0.track(.screeningCompleted, .oss, "a1", nil, draft: "d1", [.outcome: "emergency", .audience: "direct"])
            $0.track(.emergencyAdvised, .oss, "a1", nil, draft: "d1", [.audience: "direct"])
            $0.track(.phonePageShown, .oss, "a1", nil, [.reason: "emergency"])
            $0.track(.careRequestCancelled, .oss, "a1", nil, [.careRequestID: "cr-9"])
            $0.track(.careRequestCancelled, .oss, "a1", nil, [.careRequestID: "cr-9"])
            // Staff work belongs to no funnel, even when it names a partner with no attempts.
            $0.track(.visitStatusChanged, .console, "staff-1", nil, [.status: "completed"])
            $0.track(.triageDecisionRecorded, .console, "staff-1", otherPartner, [.outcome: "self_schedule"])
        }
        return events.messages
    }
}

/// Builds messages as the apps' trackers would, at minutes after a start.
struct FunnelEvents {
    let start: Date
    var messages: [AnalyticsMessage] = []
    private var time = Date.distantPast
    private var sequence = 0
    private var inBlock = 0

    init(start: Date) { self.start = start }

    mutating func at(_ minutes: Int, seconds: Int = 0, _ body: (inout FunnelEvents) -> Void) {
        time = start.addingTimeInterval(TimeInterval(minutes * 60 + seconds))
        inBlock = 0
        body(&self)
    }

    mutating func track(
        _ name: AnalyticsEventName, _ app: AnalyticsApp, _ user: String, _ partner: String?, attempt: String? = nil,
        draft: String? = nil, _ extra: [AnalyticsProperty: String] = [:]
    ) {
        var properties = Dictionary(
            uniqueKeysWithValues: extra.map { ($0.key.rawValue, AnalyticsValue.string($0.value)) })
        if let partner { properties[AnalyticsProperty.partnerID.rawValue] = .string(partner) }
        if let attempt { properties[AnalyticsProperty.handoffFingerprint.rawValue] = .string("fp-\(attempt)") }
        if let draft { properties[AnalyticsProperty.draftFingerprint.rawValue] = .string("fp-\(draft)") }
        append(
            AnalyticsMessage(
                type: .track, event: name.rawValue, userId: user, properties: properties, context: .init(app: app),
                messageId: "", timestamp: time))
    }

    mutating func identify(_ user: String, _ partner: String) {
        append(
            AnalyticsMessage(
                type: .identify, userId: user, traits: ["roles": .string("scheduler"), "partner_id": .string(partner)],
                context: .init(app: .express), messageId: "", timestamp: time))
    }

    private mutating func append(_ message: AnalyticsMessage) {
        var message = message
        sequence += 1
        message.messageId = "message-\(sequence)"
        // Events of one moment keep their order, a millisecond apart.
        message.timestamp = time.addingTimeInterval(Double(inBlock) / 1000)
        inBlock += 1
        messages.append(message)
    }
}
