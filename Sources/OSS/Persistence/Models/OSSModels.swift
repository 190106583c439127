import Fluent
import Foundation

/// A pushed handoff: the attributes Express knew, under a one-time handle kept only as its hash.
final class HandoffModel: Model, @unchecked Sendable {
    static let schema = "handoffs"
    @ID(custom: "handle_hash", generatedBy: .user) var id: String?
    @Field(key: "fingerprint") var fingerprint: String
    @Field(key: "partner_id") var partnerID: UUID
    @Field(key: "user_id") var userID: String
    @OptionalField(key: "patient_id") var patientID: UUID?
    @Field(key: "return_url") var returnURL: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "redeemed_at") var redeemedAt: Date?
    @OptionalField(key: "draft_id") var draftID: UUID?
    /// Pushed for Express's synthetic-monitoring user; the draft and Station's request inherit it.
    @Field(key: "synthetic") var synthetic: Bool
    /// new, reschedule or cancel (``HandoffIntent`` by its raw value).
    @Field(key: "intent") var intent: String
    /// The care request a reschedule or cancel handoff is for.
    @OptionalField(key: "care_request_id") var careRequestID: UUID?
    init() {}
}

/// An onboarding in progress, saved at every step.
final class DraftModel: Model, @unchecked Sendable {
    static let schema = "drafts"
    @ID(key: .id) var id: UUID?
    @Field(key: "audience") var audience: String
    /// The signed-in user's id (Express user id for partners, the account subject for patients).
    @Field(key: "owner") var owner: String
    @OptionalField(key: "partner_id") var partnerID: UUID?
    @Field(key: "answers") var answers: StoredAnswers
    /// open, submitting, submitted, cancelled or emergency (``Draft/Status`` by its column name).
    @Field(key: "status") var status: String
    @OptionalField(key: "care_request_id") var careRequestID: UUID?
    @OptionalField(key: "return_url") var returnURL: String?
    /// Synthetic monitoring's draft (from its handoff): Station's request is created synthetic.
    @Field(key: "synthetic") var synthetic: Bool
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    init() {}
}

/// A direct patient's account linked to their record in Station: before M010 moved them into `managed_people`.
final class PatientLinkModel: Model, @unchecked Sendable {
    static let schema = "patient_links"
    @ID(custom: "account", generatedBy: .user) var id: String?
    @Field(key: "patient_id") var patientID: UUID
    init() {}
}

/// Someone a patient account schedules for (``Person``); removed people keep their row, out of every list.
final class ManagedPersonModel: Model, @unchecked Sendable {
    static let schema = "managed_people"
    @ID(key: .id) var id: UUID?
    /// The patient account's subject.
    @Field(key: "account") var account: String
    /// self or family (``Person/Relationship`` by its raw value).
    @Field(key: "relationship") var relationship: String
    /// The name the account gave (PHI: never logged).
    @Field(key: "label") var label: String
    @OptionalField(key: "patient_id") var patientID: UUID?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "removed_at") var removedAt: Date?
    init() {}
}

final class OSSAuditModel: Model, @unchecked Sendable {
    static let schema = "audit_events"
    @ID(key: .id) var id: UUID?
    @Field(key: "at") var at: Date
    @Field(key: "actor") var actor: String
    @OptionalField(key: "partner_id") var partnerID: UUID?
    @Field(key: "action") var action: String
    @Field(key: "subject") var subject: String
    @Field(key: "outcome") var outcome: String
    @OptionalField(key: "detail") var detail: String?
    @Field(key: "request_id") var requestID: String
    init() {}
}
