import Fluent

struct M003_CreateServiceLines: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ServiceLineModel.schema)
            .id()
            .field("name", .string, .required)
            .unique(on: "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ServiceLineModel.schema).delete()
    }
}
