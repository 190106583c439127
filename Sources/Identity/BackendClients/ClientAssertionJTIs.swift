import Fluent
import Foundation
import SQLKit

/// The assertion ids (`jti`) each backend client has used, kept until the assertion expires: an assertion
/// authenticates once (RFC 7523 §3 item 7, SMART Backend Services).
enum ClientAssertionJTIs {
    static let schema = "client_assertion_jtis"

    /// Records `jti` for `clientID`; false when the client used it before. Expired ids are deleted on the way.
    static func claim(_ jti: String, clientID: String, expiresAt: Date, now: Date, service: IdentityService)
        async throws -> Bool
    {
        try await service.write { db in
            try await db.sql.delete(from: schema).where("expires_at", .lessThan, SQLBind(now)).run()
            let inserted = try await db.sql.insert(into: schema)
                .columns("client_id", "jti", "expires_at")
                .values(SQLBind(clientID), SQLBind(jti), SQLBind(expiresAt))
                .ignoringConflicts(with: ["client_id", "jti"])
                .returning("jti")
                .all()
            return !inserted.isEmpty
        }
    }
}
