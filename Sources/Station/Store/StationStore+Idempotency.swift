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
        let claimID: UUID
        switch try await claim(caller: caller, key: key, hash: hash) {
        case .replay(let id): return IdempotentOutcome(careRequest: id, replayed: true)
        case .claimed(let id): claimID = id
        }
        do {
            let id = try await self.write { db in
                let (id, events) = try await write(db)
                // Completes only our own claim: one taken over after it went stale rolls this write back.
                let completed = try await db.sql.update(IdempotencyKeyModel.schema)
                    .set("state", to: SQLBind("completed")).set("care_request_id", to: SQLBind(id.rawValue))
                    .where("id", .equal, SQLBind(claimID)).where("state", .equal, SQLBind("in_progress"))
                    .returning("id").all()
                guard !completed.isEmpty else { throw StationError.idempotencyKeyInFlight }
                try await publish(events, on: db)
                return id
            }
            return IdempotentOutcome(careRequest: id, replayed: false)
        } catch {
            _ = try? await self.write { db in
                try await IdempotencyKeyModel.query(on: db)
                    .filter(\.$id == claimID).filter(\.$state == "in_progress")
                    .delete()
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
            if let existing = try await IdempotencyKeyModel.query(on: db)
                .filter(\.$caller == caller).filter(\.$key == key).first()
            {
                guard existing.requestHash == hash else { throw StationError.idempotencyKeyReused }
                if existing.state == "completed", let id = existing.careRequestID {
                    return .replay(CareRequestID(id))
                }
                guard existing.state == "in_progress", let staleID = existing.id,
                    existing.createdAt < now().addingTimeInterval(-Self.idempotencyClaimLifetime)
                else { throw StationError.idempotencyKeyInFlight }
                // Stale: release it (only if nobody else did first) and claim afresh.
                _ = try await write { db in
                    try await db.sql.delete(from: IdempotencyKeyModel.schema)
                        .where("id", .equal, SQLBind(staleID)).where("state", .equal, SQLBind("in_progress"))
                        .run()
                }
                continue
            }
            let row = IdempotencyKeyModel()
            let id = UUID()
            row.id = id
            row.caller = caller
            row.key = key
            row.requestHash = hash
            row.state = "in_progress"
            row.createdAt = timestamp()
            do {
                try await write { db in try await row.create(on: db) }
                return .claimed(id)
            } catch {
                // Another request claimed it first; look again.
                continue
            }
        }
        throw StationError.idempotencyKeyInFlight
    }
}
