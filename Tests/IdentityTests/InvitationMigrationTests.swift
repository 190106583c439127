import Fluent
import Foundation
import IdentityDomain
import Platform
import SQLKit
import TestSupport
import Testing
import Vapor

@testable import Identity

@Suite("Invitations made before their states were kept")
struct InvitationMigrationTests {
    @Test("M011 reads an earlier link's sending time back from its 72-hour expiry, and the link still works")
    func earlierLinks() async throws {
        try await TestDatabase.withApplication { app, location in
            let before = Array(IdentityMigrations.all.prefix { !($0 is M011_InvitationStates) })
            try app.useServiceDatabase(location, migrations: before)
            try await app.migrateDatabase()
            // As rows were then: the model now has columns later migrations add.
            let account = UUID()
            try await app.db.sql.insert(into: AccountModel.schema)
                .columns("id", "tenant", "email", "name", "password_hash", "active", "failed_attempts", "created_at")
                .values(
                    SQLBind(account), SQLBind("express"), SQLBind("early@sunrise.example"), SQLBind("Early"),
                    SQLBind("x"), SQLBind(true), SQLBind(0), SQLBind(Date())
                ).run()
            let expiresAt = Date(timeIntervalSince1970: 1_900_000_000)
            try await app.db.sql.insert(into: PasswordSetupModel.schema)
                .columns("token_hash", "account_id", "expires_at")
                .values(SQLBind("hash"), SQLBind(account), SQLBind(expiresAt)).run()

            app.migrations.add(M011_InvitationStates())
            try await app.migrateDatabase()
            let row = try #require(try await PasswordSetupModel.find("hash", on: app.db))
            let sentAt = try #require(row.sentAt)
            #expect(abs(sentAt.timeIntervalSince(expiresAt.addingTimeInterval(-72 * 3600))) < 0.001)
            #expect(row.invitation.state(at: expiresAt.addingTimeInterval(-60)) == .sent)
        }
    }
}
