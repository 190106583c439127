import Fluent

struct M007_CreateWebhookReceipts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(WebhookReceiptModel.schema)
            .field("webhook_id", .string, .identifier(auto: false))
            .field("received_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WebhookReceiptModel.schema).delete()
    }
}
