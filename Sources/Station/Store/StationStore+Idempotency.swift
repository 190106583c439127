import Fluent
import Foundation
import Platform
import SQLKit
import StationDomain
import Vocabulary

/// What a write run under an `Idempotency-Key` answered: the care request it made or changed, and whether this
/// was the replay of an earlier identical request.
struct IdempotentOutcome: Sendable {
    var careRequest: CareRequestID
    var replayed: Bool
}

extension StationStore {
    /// How long a claimed key stays in flight before another request with it may take over: far longer than a
    /// write takes, so only a caller that died half-way (a crash, a lost instance) leaves one this old.
    static let idempotencyClaimLifetime: TimeInterval = 60

    /// Runs `write` (a creation or a change of one care request) at most once per (caller, key), in one
    /// transaction with completing the key's claim; the events it returns are published last in it. The same key
    /// with the same `hash` answers the care request again; with another hash it is refused. A refused write binds
    /// nothing: the caller may retry under the same key with a corrected body.
    func once(
        caller: String, key: String, hash: String,
        _ write: @escaping @Sendable (any Database) async throws -> (CareRequestID, [NewCareRequestEvent])
    ) async throws -> IdempotentOutcome {
        try await once(caller: caller, key: key, hash: hash) { db in
            let (id, events) = try await write(db)
            return (id, events, ())
        }.outcome
    }

    /// ``once(caller:key:hash:_:)`` that also hands back what the write made (`nil` for a replay): a creation
    /// answers with the rows it wrote instead of reading them again.
    func once<Made: Sendable>(
        caller: String, key: String, hash: String,
        _ write: @escaping @Sendable (any Database) async throws -> (CareRequestID, [NewCareRequestEvent], Made)
    ) async throws -> (outcome: IdempotentOutcome, made: Made?) {
        let claimID: UUID
        switch try await claim(caller: caller, key: key, hash: hash) {
        case .replay(let id): return (IdempotentOutcome(careRequest: id, replayed: true), nil)
        case .claimed(let id): claimID = id
        }
        do {
            let (id, made) = try await self.write { db in
                let (id, events, made) = try await write(db)
                // Completes only our own claim: one taken over after it went stale rolls this write back.
                let completed = try await db.sql.raw(
                    """
                    UPDATE idempotency_keys SET state = 'completed', care_request_id = \(bind: id.rawValue) \
                    WHERE id = \(bind: claimID) AND state = 'in_progress' RETURNING id
                    """
                ).all()
                guard !completed.isEmpty else { throw StationError.idempotencyKeyInFlight }
                try await publish(events, on: db)
                return (id, made)
            }
            return (IdempotentOutcome(careRequest: id, replayed: false), made)
        } catch {
            _ = try? await self.write { db in
                try await db.sql.delete(from: IdempotencyKeyModel.schema)
                    .where("id", .equal, SQLBind(claimID)).where("state", .equal, SQLBind("in_progress"))
                    .run()
            }
            throw error
        }
    }

    private enum Claim {
        case claimed(UUID)
        case replay(CareRequestID)
    }

    /// Claims the key, or answers from what an earlier request with it did. A claim left in flight longer than
    /// `idempotencyClaimLifetime` is released, so the same key can be retried after a crash.
    private func claim(caller: String, key: String, hash: String) async throws -> Claim {
        for _ in 0..<3 {
            if let existing = try await db.sql.raw(
                """
                SELECT id, request_hash, state, care_request_id, created_at FROM idempotency_keys \
                WHERE caller = \(bind: caller) AND "key" = \(bind: key)
                """
            ).first() {
                guard try existing.decode(column: "request_hash", as: String.self) == hash else {
                    throw StationError.idempotencyKeyReused
                }
                let state = try existing.decode(column: "state", as: String.self)
                if state == "completed", let id = try existing.decode(column: "care_request_id", as: UUID?.self) {
                    return .replay(CareRequestID(id))
                }
                let staleID = try existing.decode(column: "id", as: UUID.self)
                guard state == "in_progress",
                    try existing.decode(column: "created_at", as: Date.self)
                        < now().addingTimeInterval(-Self.idempotencyClaimLifetime)
                else { throw StationError.idempotencyKeyInFlight }
                // Stale: release it (only if nobody else did first) and claim afresh.
                _ = try await write { db in
                    try await db.sql.delete(from: IdempotencyKeyModel.schema)
                        .where("id", .equal, SQLBind(staleID)).where("state", .equal, SQLBind("in_progress"))
                        .run()
                }
                continue
            }
            let id = UUID()
            let createdAt = timestamp()
            do {
                try await write { db in
                    try await db.sql.raw(
                        """
                        INSERT INTO idempotency_keys (id, caller, "key", request_hash, state, created_at) \
                        VALUES (\(bind: id), \(bind: caller), \(bind: key), \(bind: hash), 'in_progress', \
                        \(bind: createdAt))
                        """
                    ).run()
                }
                return .claimed(id)
            } catch {
                // Another request claimed it first; look again.
                continue
            }
        }
        throw StationError.idempotencyKeyInFlight
    }
}
