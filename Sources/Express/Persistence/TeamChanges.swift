import ExpressDomain
import Fluent
import Foundation
import Platform
import SQLKit
import Vocabulary

extension ExpressService {
    /// Applies `change` to `target` as `actor` under the team rules (``Team/applying(_:to:by:)``: an admin of the
    /// same partner, never the last active admin taken away) and stores it with its audit event, all in one
    /// transaction; returns the changed user. `entry` describes the change from the target as they were. The partner's row is taken first, so two admins removing each
    /// other at once are decided one after the other (a row lock on PostgreSQL, the single writer on SQLite): the
    /// second reads the team the first left and is refused.
    func apply(
        _ change: TeamChange, to target: UserID, by actor: ActingUser, audit: AuditContext,
        entry: @escaping @Sendable (_ before: UserModel) -> AuditEntry
    ) async throws -> UserModel {
        let log = self.audit
        return try await write { db in
            try await db.sql.raw("UPDATE partners SET slug = slug WHERE id = \(bind: actor.partner.rawValue)").run()
            let rows = try await UserModel.query(on: db).filter(\.$partnerID == actor.partner.rawValue).all()
            let team = Team(partner: actor.partner, members: rows.map(\.member))
            _ = try team.applying(change, to: target, by: actor)
            guard let row = rows.first(where: { $0.id == target.rawValue }) else { throw TeamRefusal.notOnTeam }
            let event = entry(row)
            switch change {
            case .deactivate: row.active = false
            case .reactivate: row.active = true
            case .role(let role): row.role = role.rawValue
            case .details(let name, let email):
                row.name = name
                row.email = email
            }
            try await row.save(on: db)
            try await log.record(event, audit, on: db)
            return row
        }
    }
}
