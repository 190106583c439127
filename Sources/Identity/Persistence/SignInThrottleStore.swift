import Fluent
import Foundation
import IdentityDomain
import Platform
import SQLKit

/// The sign-in throttle's counters, one row per key. Every change is a compare-and-set on the row's version
/// inside one transaction, so each concurrent attempt is counted, on PostgreSQL as on SQLite.
struct SignInThrottleStore: Sendable {
    static let table = "sign_in_throttles"

    let database: @Sendable () -> any Database
    let gate: WriteGate

    /// The keys of one attempt: the email at this address, the email from anywhere, and the address.
    struct Keys: Sendable {
        var account: String
        var pair: String
        var address: String

        init(tenant: Tenant, email: String, address: String) {
            account = Self.account(tenant: tenant, email: email)
            pair = "\(account)@\(address)"
            self.address = "addr:\(address)"
        }

        static func account(tenant: Tenant, email: String) -> String {
            "acct:" + Secrets.sha256Hex("\(tenant.rawValue) \(email.lowercased())")
        }
    }

    private struct Conflict: Error {}

    private struct Row {
        var state: ThrottlePolicy.State
        var version: Int
    }

    /// Counts an attempt under every key, or, when one of them is waiting, counts nothing and returns when
    /// the caller may try again.
    func admit(_ keys: [(key: String, policy: ThrottlePolicy)], now: Date) async throws -> Date? {
        for _ in 0..<10 {
            do {
                return try await gate.run {
                    try await database().transaction { db in try await admit(keys, now: now, on: db) }
                }
            } catch is Conflict {
                continue
            }
        }
        // Ten lost races in a row: this key is under a concurrent burst, which is itself a reason to wait.
        return now.addingTimeInterval(1)
    }

    private func admit(_ keys: [(key: String, policy: ThrottlePolicy)], now: Date, on db: any Database) async throws
        -> Date?
    {
        var plans: [(key: String, row: Row?, next: ThrottlePolicy.State)] = []
        var retry: Date?
        for (key, policy) in keys {
            let row = try await read(key, on: db)
            switch policy.decide(row?.state, now: now) {
            case .wait(let until): retry = max(retry ?? until, until)
            case .admit(let next): plans.append((key, row, next))
            }
        }
        if let retry { return retry }
        for plan in plans {
            let written: [any SQLRow]
            if let row = plan.row {
                written = try await db.sql.update(Self.table)
                    .set("attempts", to: SQLBind(plan.next.attempts))
                    .set("blocked_until", to: SQLBind(plan.next.blockedUntil))
                    .set("updated_at", to: SQLBind(plan.next.updatedAt))
                    .set("version", to: SQLBind(row.version + 1))
                    .where("key", .equal, SQLBind(plan.key))
                    .where("version", .equal, SQLBind(row.version))
                    .returning("key").all()
            } else {
                written = try await db.sql.insert(into: Self.table)
                    .columns("key", "attempts", "blocked_until", "updated_at", "version")
                    .values(
                        SQLBind(plan.key), SQLBind(plan.next.attempts), SQLBind(plan.next.blockedUntil),
                        SQLBind(plan.next.updatedAt), SQLBind(1)
                    )
                    .ignoringConflicts(with: "key")
                    .returning("key").all()
            }
            if written.isEmpty { throw Conflict() }
        }
        return nil
    }

    private func read(_ key: String, on db: any Database) async throws -> Row? {
        guard
            let row = try await db.sql.select().columns("attempts", "blocked_until", "updated_at", "version").from(
                Self.table
            )
            .where("key", .equal, SQLBind(key)).first()
        else { return nil }
        return Row(
            state: .init(
                attempts: try row.decode(column: "attempts", as: Int.self),
                blockedUntil: try row.decode(column: "blocked_until", as: Date?.self),
                updatedAt: try row.decode(column: "updated_at", as: Date.self)),
            version: try row.decode(column: "version", as: Int.self))
    }

    /// A successful sign-in does not count against its address: the attempt admitted for it is given back,
    /// so a busy office behind one address is slowed by its failures only (and guesses at other accounts stay counted).
    func refund(_ key: String, policy: ThrottlePolicy) async throws {
        for _ in 0..<10 {
            let done = try await gate.run {
                try await database().transaction { db -> Bool in
                    guard let row = try await read(key, on: db) else { return true }
                    let next = policy.refunded(row.state)
                    return try await !db.sql.update(Self.table)
                        .set("attempts", to: SQLBind(next.attempts))
                        .set("blocked_until", to: SQLBind(next.blockedUntil))
                        .set("version", to: SQLBind(row.version + 1))
                        .where("key", .equal, SQLBind(key))
                        .where("version", .equal, SQLBind(row.version))
                        .returning("key").all().isEmpty
                }
            }
            if done { return }
        }
    }

    /// The account's owner proved the password (or chose a new one): its keys start afresh.
    func reset(account: String) async throws {
        try await gate.run {
            try await database().sql.delete(from: Self.table)
                .where("key", .equal, SQLBind(account))
                .orWhere("key", .like, SQLBind("\(account)@%"))
                .run()
        }
    }

    /// Forgets keys unused for a day.
    func prune(before: Date) async throws {
        try await gate.run {
            try await database().sql.delete(from: Self.table).where("updated_at", .lessThan, SQLBind(before)).run()
        }
    }
}
