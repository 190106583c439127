import Fluent
import SQLKit

/// Marks the care requests synthetic monitoring makes (the smoke check), so lists can leave them out.
struct M010_AddSyntheticCareRequests: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CareRequestModel.schema)
            .field("synthetic", .bool, .required, .sql(.default(false)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CareRequestModel.schema).deleteField("synthetic").update()
    }
}
