import Analytics
import Foundation
import Vocabulary

/// Where an app's analytics messages go: the pipeline (``AnalyticsPipeline``) or a test's recorder.
package protocol AnalyticsSink: Sendable {
    /// Takes the message for delivery; never blocks on the network and never fails the caller's request.
    func send(_ message: AnalyticsMessage) async
}

/// One app's tracking component (Segment's `track`, `identify`, `group`): stamps every message with the app, a
/// message id and the time, and hands it to the sink. Ids and known values only (``TrackedEvent``).
package struct Tracker: Sendable {
    package let app: AnalyticsApp
    let sink: any AnalyticsSink
    let now: @Sendable () -> Date
    let messageID: @Sendable () -> String

    package init(
        app: AnalyticsApp, sink: any AnalyticsSink, now: @escaping @Sendable () -> Date = Date.init,
        messageID: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }
    ) {
        self.app = app
        self.sink = sink
        self.now = now
        self.messageID = messageID
    }

    /// `event` done by `actor`, for `partner` when it is a partner's (every partner user's action is).
    package func track(_ event: TrackedEvent, by actor: AnalyticsActor, partner: PartnerID?) async {
        var properties = event.wireProperties
        if let partner { properties[AnalyticsProperty.partnerID.rawValue] = .string(partner.wire) }
        await sink.send(message(.track, actor, event: event.name.rawValue, properties: properties))
    }

    /// Who `actor` is: roles (partner roles, staff roles or `patient`) and their partner, never a name or email.
    package func identify(_ actor: AnalyticsActor, roles: [String], partner: PartnerID?) async {
        var traits: [String: AnalyticsValue] = [
            AnalyticsProperty.roles.rawValue: .string(roles.sorted().joined(separator: ","))
        ]
        if let partner { traits[AnalyticsProperty.partnerID.rawValue] = .string(partner.wire) }
        await sink.send(message(.identify, actor, traits: traits))
    }

    /// `actor` belongs to `partner`.
    package func group(_ actor: AnalyticsActor, partner: PartnerID) async {
        var message = message(.group, actor, traits: [AnalyticsProperty.partnerID.rawValue: .string(partner.wire)])
        message.groupId = partner.wire
        await sink.send(message)
    }

    private func message(
        _ kind: AnalyticsMessage.Kind, _ actor: AnalyticsActor, event: String? = nil,
        properties: [String: AnalyticsValue]? = nil, traits: [String: AnalyticsValue]? = nil
    ) -> AnalyticsMessage {
        var message = AnalyticsMessage(
            type: kind, event: event, properties: properties, traits: traits, context: AnalyticsContext(app: app),
            messageId: messageID(), timestamp: now())
        switch actor {
        case .user(let id): message.userId = id
        case .anonymous(let id): message.anonymousId = id
        }
        return message
    }
}

/// Keeps every message, for tests: `events` are the `track` names in order.
package actor RecordingAnalyticsSink: AnalyticsSink {
    package private(set) var messages: [AnalyticsMessage] = []

    package init() {}

    package func send(_ message: AnalyticsMessage) { messages.append(message) }

    package var tracked: [AnalyticsMessage] { messages.filter { $0.type == .track } }
    package var events: [String] { tracked.compactMap(\.event) }
}
