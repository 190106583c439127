import ExpressDomain
import Fluent
import Foundation
import Vocabulary

final class PartnerModel: Model, @unchecked Sendable {
    static let schema = "partners"
    /// Station's partner id.
    @ID(key: .id) var id: UUID?
    @Field(key: "slug") var slug: String
    @Field(key: "name") var name: String
    init() {}
    init(id: UUID, slug: String, name: String) {
        self.id = id
        self.slug = slug
        self.name = name
    }
}

final class UserModel: Model, @unchecked Sendable {
    static let schema = "users"
    @ID(key: .id) var id: UUID?
    @Field(key: "partner_id") var partnerID: UUID
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    @Field(key: "role") var role: String
    @Field(key: "active") var active: Bool
    @Field(key: "created_at") var createdAt: Date
    /// A synthetic-monitoring account (seeded only, never made on the users page): see ``SessionUser/synthetic``.
    @Field(key: "synthetic") var synthetic: Bool
    /// The identity provider's account id (nil until Express made or found the account).
    @OptionalField(key: "account_id") var accountID: String?
    init() {}
    init(partnerID: UUID, email: String, name: String, role: PartnerRole, at: Date, synthetic: Bool = false) {
        self.id = UUID()
        self.partnerID = partnerID
        self.email = email.lowercased()
        self.name = name
        self.role = role.rawValue
        self.active = true
        self.createdAt = at
        self.synthetic = synthetic
    }
    var roleValue: PartnerRole { PartnerRole(rawValue: role) ?? .viewer }
    var userID: UserID { UserID(rawValue: id!) }
    var partner: PartnerID { PartnerID(rawValue: partnerID) }
    var member: TeamMember { TeamMember(id: userID, role: roleValue, active: active) }
}

final class PreferencesModel: Model, @unchecked Sendable {
    static let schema = "preferences"
    @ID(custom: "user_id", generatedBy: .user) var id: UUID?
    @OptionalField(key: "display_name") var displayName: String?
    @Field(key: "time_zone") var timeZone: String
    @OptionalField(key: "default_market") var defaultMarket: String?
    @Field(key: "page_size") var pageSize: Int
    /// ``NotificationScope`` and ``NotificationDelivery``, as their raw values.
    @Field(key: "notify_about") var notifyAbout: String
    @Field(key: "notify_delivery") var notifyDelivery: String
    init() {}
    var notificationScope: NotificationScope { NotificationScope(rawValue: notifyAbout) ?? .none }
    var notificationDelivery: NotificationDelivery { NotificationDelivery(rawValue: notifyDelivery) ?? .immediate }
    var zone: TimeZone { TimeZone(identifier: timeZone) ?? TimeZone(identifier: "America/Denver")! }
}

/// Which Express user created which care request: the design document's `care_request_users`.
final class CareRequestUserModel: Model, @unchecked Sendable {
    static let schema = "care_request_users"
    @ID(custom: "care_request_id", generatedBy: .user) var id: UUID?
    @Field(key: "partner_id") var partnerID: UUID
    @Field(key: "user_id") var userID: UUID
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

final class AuditEventModel: Model, @unchecked Sendable {
    static let schema = "audit_events"
    @ID(key: .id) var id: UUID?
    @Field(key: "at") var at: Date
    @OptionalField(key: "user_id") var userID: UUID?
    @OptionalField(key: "partner_id") var partnerID: UUID?
    @Field(key: "action") var action: String
    /// Space-separated ids, so "who viewed this request" is one indexed-enough LIKE on either database.
    @Field(key: "care_request_ids") var careRequestIDs: String
    @Field(key: "patient_ids") var patientIDs: String
    @Field(key: "request_id") var requestID: String
    @Field(key: "client_address") var clientAddress: String
    @Field(key: "outcome") var outcome: String
    @OptionalField(key: "detail") var detail: String?
    init() {}
}

final class FeatureFlagModel: Model, @unchecked Sendable {
    static let schema = "feature_flags"
    @ID(key: .id) var id: UUID?
    @Field(key: "partner_id") var partnerID: UUID
    @Field(key: "flag") var flag: String
    @Field(key: "enabled") var enabled: Bool
    @Field(key: "updated_at") var updatedAt: Date
    init() {}
}

/// A callback delivery already handled, by its `webhook-id`.
final class WebhookReceiptModel: Model, @unchecked Sendable {
    static let schema = "webhook_receipts"
    @ID(custom: "webhook_id", generatedBy: .user) var id: String?
    @Field(key: "received_at") var receivedAt: Date
    init() {}
}
