import Fluent
import Foundation
import Platform
import SQLKit

/// A change an admin makes to a teammate that can take away an admin.
enum TeamChange: Sendable {
    case deactivate
    case role(Role)
}

extension ExpressService {
    /// Applies `change` to `user` unless it would leave `partner` without an active admin; returns whether it
    /// was applied. Decided in one transaction by one conditional update, after taking the partner's row: two
    /// admins removing each other at once are decided one after the other (a row lock on PostgreSQL, the
    /// single writer on SQLite), so the second sees the first and is refused.
    func apply(_ change: TeamChange, to user: UUID, partner: UUID) async throws -> Bool {
        try await write { db in
            let sql = db.sql
            try await sql.raw("UPDATE partners SET slug = slug WHERE id = \(bind: partner)").run()
            let keepsAnAdmin: SQLQueryString = """
                (role <> \(bind: Role.admin.rawValue) OR active = \(bind: false) OR EXISTS (SELECT 1 FROM users other \
                WHERE other.partner_id = \(bind: partner) AND other.role = \(bind: Role.admin.rawValue) \
                AND other.active = \(bind: true) AND other.id <> \(bind: user)))
                """
            let rows: [any SQLRow]
            switch change {
            case .deactivate:
                rows = try await sql.raw("""
                    UPDATE users SET active = \(bind: false) WHERE id = \(bind: user) AND partner_id = \(bind: partner) AND \(keepsAnAdmin) RETURNING id
                    """).all()
            case .role(let role) where role == .admin:
                rows = try await sql.raw("""
                    UPDATE users SET role = \(bind: role.rawValue) WHERE id = \(bind: user) AND partner_id = \(bind: partner) RETURNING id
                    """).all()
            case .role(let role):
                rows = try await sql.raw("""
                    UPDATE users SET role = \(bind: role.rawValue) WHERE id = \(bind: user) AND partner_id = \(bind: partner) \
                    AND \(keepsAnAdmin) RETURNING id
                    """).all()
            }
            return !rows.isEmpty
        }
    }
}
