import Fluent
import SQLKit

/// Patient search reads each key's index and sorts the matches by name: with the sort keys and the id in those
/// indexes, a search never reads a table row it does not return. Replaces M004's two-column key indexes (the
/// given-name index is no longer searched: the full key covers it).
struct M009_CoveringPatientSearchIndexes: AsyncMigration {
    static let keys = ["family_key", "full_key", "phone_key", "mrn_key"]

    func prepare(on database: any Database) async throws {
        for key in Self.keys {
            var index = database.sql.create(index: "patients_partner_\(key)_sort_idx").on(PatientModel.schema).column(
                "partner_id"
            ).column(key)
            if key != "family_key" { index = index.column("family_key") }
            try await index.column("given_key").column("id").run()
        }
        for key in Self.keys + ["given_key"] {
            try await database.sql.drop(index: "patients_partner_\(key)_idx").run()
        }
    }

    func revert(on database: any Database) async throws {
        for key in Self.keys + ["given_key"] {
            try await database.sql.create(index: "patients_partner_\(key)_idx").on(PatientModel.schema)
                .column("partner_id").column(key).run()
        }
        for key in Self.keys {
            try await database.sql.drop(index: "patients_partner_\(key)_sort_idx").run()
        }
    }
}
