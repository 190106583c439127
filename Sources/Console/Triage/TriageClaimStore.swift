import ConsoleDomain
import Fluent
import Foundation
import Platform
import SQLKit
import Vocabulary

/// Console's triage claims. Taking one is a single conditional upsert, so two nurses pressing "I'm calling" at
/// the same moment cannot both hold it, on SQLite as on PostgreSQL with several Console instances.
struct TriageClaimStore: Sendable {
    let database: ServiceDatabase

    /// Claims or renews `careRequest` for `holder`; throws ``TriageClaim/Refusal/heldByOther(_:)`` naming the
    /// live claim of someone else.
    func take(_ careRequest: CareRequestID, by holder: TriageClaim.Holder, now: Date) async throws -> TriageClaim {
        let wanted = TriageClaim(
            careRequest: careRequest, holder: holder, expiresAt: now.addingTimeInterval(TriageClaim.duration))
        let stored = try await database.write { db in
            // Insert, or take over the row only when it is ours already or has expired; the database decides.
            try await db.sql.insert(into: TriageClaimModel.schema)
                .columns("care_request_id", "holder_subject", "holder_name", "expires_at")
                .values(
                    SQLBind(careRequest.rawValue), SQLBind(holder.id), SQLBind(holder.name),
                    SQLBind(wanted.expiresAt)
                )
                .onConflict(with: "care_request_id") { update in
                    update.set(excludedValueOf: "holder_subject").set(excludedValueOf: "holder_name")
                        .set(excludedValueOf: "expires_at")
                        .where(SQLColumn("holder_subject", table: TriageClaimModel.schema), .equal, SQLBind(holder.id))
                        .orWhere(
                            SQLColumn("expires_at", table: TriageClaimModel.schema), .lessThanOrEqual, SQLBind(now))
                }
                .run()
            return try await TriageClaimModel.find(careRequest.rawValue, on: db)
        }
        guard let stored, stored.holderSubject == holder.id else {
            throw TriageClaim.Refusal.heldByOther(stored.map(Self.claim) ?? wanted)
        }
        return Self.claim(stored)
    }

    /// Ends `person`'s live claim on `careRequest`; throws ``TriageClaim/Refusal/notHolder`` otherwise.
    func release(_ careRequest: CareRequestID, by person: String, now: Date) async throws {
        let deleted = try await database.write { db in
            guard let row = try await TriageClaimModel.find(careRequest.rawValue, on: db) else { return false }
            guard Self.claim(row).isHeld(by: person, at: now) else { return false }
            try await row.delete(on: db)
            return true
        }
        if !deleted { throw TriageClaim.Refusal.notHolder }
    }

    /// Forgets the claim on a request that left the queue (its outcome is recorded).
    func clear(_ careRequest: CareRequestID) async throws {
        try await database.write { db in
            try await TriageClaimModel.query(on: db).filter(\.$id == careRequest.rawValue).delete()
        }
    }

    /// The live claims among `careRequests`.
    func live(among careRequests: [CareRequestID], now: Date) async throws -> [CareRequestID: TriageClaim] {
        guard !careRequests.isEmpty else { return [:] }
        let rows = try await TriageClaimModel.query(on: database.db)
            .filter(\.$id ~~ careRequests.map(\.rawValue)).filter(\.$expiresAt > now).all()
        return Dictionary(rows.map { (CareRequestID(rawValue: $0.id ?? UUID()), Self.claim($0)) }) { a, _ in a }
    }

    /// The live claim on `careRequest`, if any.
    func live(_ careRequest: CareRequestID, now: Date) async throws -> TriageClaim? {
        try await live(among: [careRequest], now: now)[careRequest]
    }

    private static func claim(_ row: TriageClaimModel) -> TriageClaim {
        TriageClaim(
            careRequest: CareRequestID(rawValue: row.id ?? UUID()),
            holder: .init(id: row.holderSubject, name: row.holderName), expiresAt: row.expiresAt)
    }
}
