import Fluent

struct M004_CreatePatientLinks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PatientLinkModel.schema)
            .field("account", .string, .identifier(auto: false))
            .field("patient_id", .uuid, .required)
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema(PatientLinkModel.schema).delete() }
}
