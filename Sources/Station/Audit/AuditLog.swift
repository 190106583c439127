import Fluent
import Foundation
import Platform

/// Station's one audit writer: every FHIR read and search is recorded here before it is answered, so that a
/// failed write answers 500 and shows nothing.
struct AuditLog: Sendable {
    let database: ServiceDatabase
    let now: @Sendable () -> Date

    func record(_ event: AuditEvent) async throws {
        let at = Date(timeIntervalSince1970: (now().timeIntervalSince1970 * 1000).rounded(.down) / 1000)
        let model = AuditEventModel(event, at: at)
        try await database.write { db in try await model.create(on: db) }
    }
}
