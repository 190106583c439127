import Fluent
import SQLKit

/// A short stable code per service line (for example acute_care), unique; lines made before have none.
struct M014_AddServiceLineCodes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ServiceLineModel.schema).field("code", .string).update()
        try await database.sql.create(index: "service_lines_code_idx").on(ServiceLineModel.schema).column("code")
            .unique().run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: "service_lines_code_idx").run()
        try await database.schema(ServiceLineModel.schema).deleteField("code").update()
    }
}
