import Fluent
import Foundation
import Platform

/// The people each patient account schedules for; every account already linked to a patient record (the
/// `patient_links` of accounts that scheduled for themselves) becomes that account's "Myself", so it goes on as
/// before. `patient_links` stays, unread, for a rollback.
struct M010_CreateManagedPeople: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ManagedPersonModel.schema)
            .id()
            .field("account", .string, .required)
            .field("relationship", .string, .required)
            .field("label", .string, .required)
            .field("patient_id", .uuid)
            .field("created_at", .datetime, .required)
            .field("removed_at", .datetime)
            .create()
        try await database.sql.create(index: "managed_people_account_idx").on(ManagedPersonModel.schema)
            .column("account").run()
        try await database.sql.create(index: "managed_people_patient_idx").on(ManagedPersonModel.schema)
            .column("patient_id").run()
        let now = Date()
        for link in try await PatientLinkModel.query(on: database).all() {
            let person = ManagedPersonModel()
            person.id = UUID()
            person.account = link.id ?? ""
            person.relationship = "self"
            person.label = ""
            person.patientID = link.patientID
            person.createdAt = now
            try await person.create(on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ManagedPersonModel.schema).delete()
    }
}
