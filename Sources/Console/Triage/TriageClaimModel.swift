import Fluent
import Foundation

/// One row of `triage_claims`: who is calling about a triage request, until when. A row whose `expires_at` has
/// passed is a free request; nothing needs to delete it.
final class TriageClaimModel: Model, @unchecked Sendable {
    static let schema = "triage_claims"

    @ID(custom: "care_request_id", generatedBy: .user) var id: UUID?
    @Field(key: "holder_subject") var holderSubject: String
    @Field(key: "holder_name") var holderName: String
    @Field(key: "expires_at") var expiresAt: Date

    init() {}
}

/// The `triage_claims` table.
struct CreateTriageClaims: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TriageClaimModel.schema)
            .field("care_request_id", .uuid, .identifier(auto: false))
            .field("holder_subject", .string, .required)
            .field("holder_name", .string, .required)
            .field("expires_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TriageClaimModel.schema).delete()
    }
}
