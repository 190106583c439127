import Fluent
import SQLKit

struct M005_CreateCareRequests: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CareRequestModel.schema)
            .id()
            .field("partner_id", .uuid, .references(PartnerModel.schema, .id))
            .field("patient_id", .uuid, .required, .references(PatientModel.schema, .id))
            .field("market_id", .uuid, .required, .references(MarketModel.schema, .id))
            .field("service_line_id", .uuid, .required, .references(ServiceLineModel.schema, .id))
            .field("source", .string, .required)
            .field("status", .string, .required)
            .field("phase", .string, .required)
            .field("chief_complaint", .string, .required)
            .field("visit_address", .json, .required)
            .field("requester", .json, .required)
            .field("screening", .json, .required)
            .field("insurance", .json)
            .field("power_of_attorney", .json)
            .field("callback_contact", .json)
            .field("window_start", .datetime)
            .field("window_end", .datetime)
            .field("eta_start", .datetime)
            .field("eta_end", .datetime)
            .field("created_by_user_id", .string)
            .field("created_ms", .int64, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        // Keyset pagination, newest first, for every list a partner or patient sees.
        let indexes: [(String, [String])] = [
            ("care_requests_partner_created_idx", ["partner_id", "created_ms", "id"]),
            ("care_requests_partner_phase_created_idx", ["partner_id", "phase", "created_ms", "id"]),
            ("care_requests_partner_status_created_idx", ["partner_id", "status", "created_ms", "id"]),
            ("care_requests_patient_created_idx", ["patient_id", "created_ms", "id"]),
        ]
        for (name, columns) in indexes {
            var builder = database.sql.create(index: name).on(CareRequestModel.schema)
            for column in columns { builder = builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CareRequestModel.schema).delete()
    }
}
