import Fluent
import SQLKit

struct M004_CreatePatients: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PatientModel.schema)
            .id()
            .field("partner_id", .uuid, .references(PartnerModel.schema, .id))
            .field("given_name", .string, .required)
            .field("family_name", .string, .required)
            .field("date_of_birth", .string, .required)
            .field("sex", .string, .required)
            .field("phone", .string)
            .field("email", .string)
            .field("address", .json)
            .field("mrn", .string)
            .field("given_key", .string, .required)
            .field("family_key", .string, .required)
            .field("full_key", .string, .required)
            .field("phone_key", .string, .required)
            .field("mrn_key", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        // Every search is partner-scoped and a prefix range on one key, ordered by name.
        for key in ["family_key", "given_key", "full_key", "phone_key", "mrn_key", "date_of_birth"] {
            try await database.sql.create(index: "patients_partner_\(key)_idx").on(PatientModel.schema)
                .column("partner_id").column(key).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PatientModel.schema).delete()
    }
}
