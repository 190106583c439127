import Fluent
import SQLKit

/// Partners' webhook endpoints (issue 14); their deliveries are Platform outbox messages `webhook:<id>`.
struct CreateWebhookEndpoints: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(WebhookEndpointModel.schema)
            .id()
            .field("partner_id", .uuid, .required)
            .field("url", .string, .required)
            .field("description", .string, .required)
            .field("event_types", .string, .required)
            .field("enabled", .bool, .required)
            .field("disabled_reason", .string)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("secret", .string, .required)
            .field("previous_secret", .string)
            .field("previous_secret_expires_at", .datetime)
            .field("failing_since", .datetime)
            .create()
        try await (database as! any SQLDatabase).create(index: "webhook_endpoints_partner_idx")
            .on(WebhookEndpointModel.schema).column("partner_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WebhookEndpointModel.schema).delete()
    }
}
