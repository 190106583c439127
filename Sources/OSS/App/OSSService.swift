import Fluent
import Foundation
import Platform
import SQLKit
import Vapor

/// Everything OSS's pages and APIs need, built once by ``OSSApp/configure``.
struct OSSService: Sendable {
    let config: OSSConfig
    /// Asked on every use, so each query runs on the caller's event loop and its connection pool; one handle
    /// kept from startup pinned every query of every request to a single loop's pool.
    let database: @Sendable () -> any Database
    var db: any Database { database() }
    let gate: WriteGate
    let downstream: Downstream
    let now: @Sendable () -> Date

    func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await gate.run { try await db.transaction { try await body($0) } }
    }

    /// The first 12 hex characters of a handle's SHA-256, the same as Express logs: enough to trace.
    static func fingerprint(_ handle: String) -> String {
        Secrets.handoffFingerprint(handle)
    }

    static func hash(_ handle: String) -> String {
        Secrets.sha256Hex(handle)
    }

    func audit(_ action: String, actor: String, partner: UUID?, subject: String, outcome: String, detail: String? = nil,
               request: Request) async {
        let row = OSSAuditModel()
        row.id = UUID()
        row.at = now()
        row.actor = actor
        row.partnerID = partner
        row.action = action
        row.subject = subject
        row.outcome = outcome
        row.detail = detail
        row.requestID = request.id
        do {
            try await gate.run { try await row.create(on: db) }
        } catch {
            request.logger.error("audit write failed", metadata: ["action": .string(action)])
        }
    }

    /// Saves a draft's answers only: never its status, which moves by ``move(_:from:to:)`` alone, so a stale
    /// copy of a draft can never reopen a submitted one.
    func save(_ draft: DraftModel) async throws {
        let at = now()
        draft.updatedAt = at
        let answers = draft.answers
        try await write { db in
            try await DraftModel.query(on: db).filter(\.$id == draft.id!).set(\.$answers, to: answers).set(\.$updatedAt, to: at).update()
        }
    }

    /// A submit that died half-way (a crash, a lost instance) leaves its draft `submitting`. After this long
    /// (far longer than a submit takes, and longer than Station keeps an idempotency key in flight) the draft
    /// opens again, so its owner can press Submit once more; Station's idempotency keeps it one request.
    static let staleSubmitAfter: TimeInterval = 120

    /// Reopens `draft` if a submit left it `submitting` for longer than ``staleSubmitAfter``. Conditional, so
    /// of two instances noticing at once only one reopens it.
    func reopenIfStale(_ draft: DraftModel) async throws {
        let cutoff = now().addingTimeInterval(-Self.staleSubmitAfter)
        guard draft.status == "submitting", draft.updatedAt < cutoff, let id = draft.id else { return }
        let at = now()
        let moved = try await write { db in
            try await db.sql.update(DraftModel.schema).set("status", to: SQLBind("open")).set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(id)).where("status", .equal, SQLBind("submitting"))
                .where("updated_at", .lessThan, SQLBind(cutoff)).returning("id").all()
        }
        if !moved.isEmpty {
            draft.status = "open"
            draft.updatedAt = at
        }
    }

    /// Moves a draft from one status to another if it is still in the first; false when it was not.
    func move(_ draft: DraftModel, from: String, to: String) async throws -> Bool {
        let at = now()
        let moved = try await write { db in
            try await db.sql.update(DraftModel.schema).set("status", to: SQLBind(to)).set("updated_at", to: SQLBind(at))
                .where("id", .equal, draft.id!).where("status", .equal, from).returning("id").all()
        }
        if !moved.isEmpty { draft.status = to }
        return !moved.isEmpty
    }
}
