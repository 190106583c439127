import Fluent
import Foundation
import Platform
import SQLKit
import TestSupport
import Testing
import Vocabulary

@testable import OSS

@Suite("OSS's first callback outbox moves into the Platform outbox")
struct OutboxMoveTests {
    @Test(
        "undelivered callbacks move with their webhook id, care request as ordering key and creation time; delivered ones stay behind with the old table, which goes"
    )
    func move() async throws {
        try await TestDatabase.withApplication { app, location in
            try app.useServiceDatabase(location, migrations: OSSMigrations.own + OutboxMigrations.all)
            try await app.migrateDatabase()
            let careRequest = CareRequestID.random()
            let payload = try CareRequestCallback(careRequest: careRequest, partner: .random(), user: .random())
                .outboxPayload()
            let created = Date(timeIntervalSince1970: 1_790_000_000)
            for (webhookID, delivered) in [("msg_pending", nil), ("msg_delivered", created)] as [(String, Date?)] {
                try await app.db.sql.raw(
                    """
                    INSERT INTO outbox (id, webhook_id, payload, attempts, next_attempt_at, delivered_at, created_at)
                    VALUES (\(bind: UUID()), \(bind: webhookID), \(bind: payload), 3, \(bind: created),
                    \(bind: delivered), \(bind: created))
                    """
                ).run()
            }

            app.migrations.add(MoveCallbackOutbox())
            try await app.migrateDatabase()
            let moved = try #require(try await app.outboxLog.messages(destination: "express", limit: 10).first)
            #expect(try await app.outboxLog.messages(destination: nil, limit: 10).count == 1)
            #expect(moved.messageID == "msg_pending" && moved.orderingKey == careRequest.wire)
            #expect(moved.payload == Data(payload.utf8) && moved.status == .pending)
            #expect(abs(moved.createdAt.timeIntervalSince(created)) < 0.001)
            do {
                _ = try await app.db.sql.raw("SELECT id FROM outbox").all()
                Issue.record("the old outbox table is still there")
            } catch {}
        }
    }
}
