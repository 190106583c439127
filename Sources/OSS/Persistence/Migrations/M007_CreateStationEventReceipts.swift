import Fluent

struct M007_CreateStationEventReceipts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(StationEventReceiptModel.schema)
            .field("webhook_id", .string, .identifier(auto: false))
            .field("received_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StationEventReceiptModel.schema).delete()
    }
}
