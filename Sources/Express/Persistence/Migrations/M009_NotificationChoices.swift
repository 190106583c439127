import Fluent
import Platform

/// The profile's "email me" checkbox becomes a choice of which requests (none, those I created, all of my
/// partner's) and how (at once or a daily digest). A user who had ticked it keeps "requests I created".
struct M009_NotificationChoices: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // A fresh builder for each change: SQLite alters a table one column per statement.
        let preferences = { database.schema(PreferencesModel.schema) }
        try await preferences().field("notify_about", .string, .required, .sql(.default("none"))).update()
        try await preferences().field("notify_delivery", .string, .required, .sql(.default("immediate"))).update()
        try await database.sql.update(PreferencesModel.schema)
            .set("notify_about", to: "created_by_me").where("email_notifications", .equal, true).run()
        try await preferences().deleteField("email_notifications").update()
    }

    func revert(on database: any Database) async throws {
        let preferences = { database.schema(PreferencesModel.schema) }
        try await preferences().field("email_notifications", .bool, .required, .sql(.default(false))).update()
        try await database.sql.update(PreferencesModel.schema)
            .set("email_notifications", to: true).where("notify_about", .notEqual, "none").run()
        try await preferences().deleteField("notify_delivery").update()
        try await preferences().deleteField("notify_about").update()
    }
}
