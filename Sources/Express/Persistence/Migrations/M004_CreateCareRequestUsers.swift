import Fluent
import SQLKit

struct M004_CreateCareRequestUsers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CareRequestUserModel.schema)
            .field("care_request_id", .uuid, .identifier(auto: false))
            .field("partner_id", .uuid, .required)
            .field("user_id", .uuid, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await (database as! any SQLDatabase).create(index: "care_request_users_partner_idx")
            .on(CareRequestUserModel.schema).column("partner_id").column("user_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CareRequestUserModel.schema).delete()
    }
}
