import ExpressDomain
import Fluent
import Foundation
import Vocabulary

/// A partner's webhook endpoint as Express stores it. The signing secrets are stored as they are (the delivery
/// needs them to sign, so they cannot be hashed; the database is Express's own and never leaves it): they are
/// shown once, when made, and never logged, audited or returned again.
final class WebhookEndpointModel: Model, @unchecked Sendable {
    static let schema = "webhook_endpoints"
    @ID(key: .id) var id: UUID?
    @Field(key: "partner_id") var partnerID: UUID
    @Field(key: "url") var url: String
    @Field(key: "description") var description: String
    /// Space-separated event type names (`care_request.created care_request.status_changed`).
    @Field(key: "event_types") var eventTypes: String
    @Field(key: "enabled") var enabled: Bool
    @OptionalField(key: "disabled_reason") var disabledReason: String?
    @Field(key: "created_by") var createdBy: UUID
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @Field(key: "secret") var secret: String
    @OptionalField(key: "previous_secret") var previousSecret: String?
    @OptionalField(key: "previous_secret_expires_at") var previousSecretExpiresAt: Date?
    @OptionalField(key: "failing_since") var failingSince: Date?
    init() {}

    convenience init(_ endpoint: WebhookEndpoint, at now: Date) {
        self.init()
        id = endpoint.id.rawValue
        partnerID = endpoint.partner.rawValue
        createdBy = endpoint.createdBy.rawValue
        createdAt = endpoint.createdAt
        apply(endpoint, at: now)
    }

    /// Copies everything an endpoint's owner or its deliveries may change.
    func apply(_ endpoint: WebhookEndpoint, at now: Date) {
        url = endpoint.url
        description = endpoint.description
        eventTypes = WebhookEventTypes.sorted(endpoint.eventTypes).map(\.rawValue).joined(separator: " ")
        enabled = endpoint.enabled
        disabledReason = endpoint.disabledReason
        secret = endpoint.secrets.current
        previousSecret = endpoint.secrets.previous
        previousSecretExpiresAt = endpoint.secrets.previousExpiresAt
        failingSince = endpoint.health.failingSince
        updatedAt = now
    }

    var endpoint: WebhookEndpoint {
        WebhookEndpoint(
            id: WebhookEndpointID(rawValue: id!), partner: PartnerID(rawValue: partnerID), url: url,
            description: description,
            eventTypes: Set(
                eventTypes.split(separator: " ").compactMap { CareRequestEvent.Kind(rawValue: String($0)) }),
            enabled: enabled, disabledReason: disabledReason, createdBy: UserID(rawValue: createdBy),
            createdAt: createdAt,
            secrets: WebhookSigningSecrets(
                current: secret, previous: previousSecret, previousExpiresAt: previousSecretExpiresAt),
            health: WebhookHealth(failingSince: failingSince))
    }
}
