import Fluent
import Foundation
import Platform
import SQLKit
import Vapor

/// Delivers queued callbacks to Express: signed per Standard Webhooks (by the client's
/// ``WebhookSigningMiddleware``, over the bytes sent) with a constant `webhook-id`, retried
/// with exponential back-off and jitter for at least 72 hours, each delivery claimed by one worker at a time
/// (so several instances can run it).
struct OutboxDelivery: Sendable {
    let service: OSSService
    static let giveUpAfter: TimeInterval = 80 * 3600

    /// Delivers what is due; returns how many were delivered.
    @discardableResult
    func deliverDue(limit: Int = 20) async throws -> Int {
        let now = service.now()
        func pending() -> QueryBuilder<OutboxModel> {
            OutboxModel.query(on: service.db).filter(\.$deliveredAt == nil).filter(\.$failedAt == nil)
        }
        ServiceMetrics.gauge("outbox_pending", [], Double(try await pending().count()))
        let oldest = try await pending().sort(\.$createdAt).first()?.createdAt
        ServiceMetrics.gauge("outbox_oldest_pending_seconds", [], oldest.map { now.timeIntervalSince($0) } ?? 0)
        let due = try await OutboxModel.query(on: service.db).filter(\.$deliveredAt == nil).filter(\.$failedAt == nil)
            .filter(\.$nextAttemptAt <= now).sort(\.$nextAttemptAt).limit(limit).all()
        var delivered = 0
        for row in due where try await claim(row, now: now) {
            if try await deliver(row) { delivered += 1 }
        }
        return delivered
    }

    /// Claims a row for 30 seconds; false when another worker holds it.
    func claim(_ row: OutboxModel, now: Date) async throws -> Bool {
        let claimed = try await service.write { db in
            try await db.sql.update(OutboxModel.schema)
                .set("claimed_until", to: SQLBind(now.addingTimeInterval(30)))
                .where("id", .equal, row.id!)
                .where("delivered_at", .is, SQLLiteral.null)
                .where(
                    SQLGroupExpression(SQLBinaryExpression(SQLColumn("claimed_until"), .is, SQLLiteral.null)), .or,
                    SQLBinaryExpression(SQLColumn("claimed_until"), .lessThan, SQLBind(now))
                )
                .returning("id").all()
        }
        return !claimed.isEmpty
    }

    /// One attempt; records success, or the error and the next attempt's time.
    func deliver(_ row: OutboxModel) async throws -> Bool {
        let now = service.now()
        var error: String?
        do {
            let callback = try CareRequestCallback(outboxPayload: Data(row.payload.utf8))
            try await service.downstream.express.deliver(callback, webhookID: row.webhookID, at: now)
        } catch let failure {
            error = "\(failure)"
        }
        let attempts = row.attempts + 1
        let failure = error
        try await service.write { db in
            guard let fresh = try await OutboxModel.find(row.id!, on: db) else { return }
            fresh.attempts = attempts
            fresh.claimedUntil = nil
            if let failure {
                fresh.lastError = String(failure.prefix(500))
                let backoff = min(pow(2, Double(min(attempts, 12))), 3600)
                fresh.nextAttemptAt = now.addingTimeInterval(backoff * Double.random(in: 0.8...1.2))
                if now.timeIntervalSince(fresh.createdAt) > Self.giveUpAfter { fresh.failedAt = now }
            } else {
                ServiceMetrics.count("outbox_delivered_total", [])
                fresh.deliveredAt = now
                fresh.lastError = nil
            }
            try await fresh.save(on: db)
        }
        return failure == nil
    }
}
