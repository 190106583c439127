import Fluent

struct M001_CreatePartners: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PartnerModel.schema)
            .id()
            .field("slug", .string, .required)
            .field("name", .string, .required)
            .unique(on: "slug")
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema(PartnerModel.schema).delete() }
}
