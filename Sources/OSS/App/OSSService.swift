import Fluent
import Foundation
import Platform
import SQLKit
import Vapor

/// Everything OSS's pages and APIs need, built once by ``OSSApp/configure``.
struct OSSService: Sendable {
    let config: OSSConfig
    let database: ServiceDatabase
    var db: any Database { database.db }
    var gate: WriteGate { database.gate }
    let downstream: Downstream
    let now: @Sendable () -> Date
    /// Product analytics: ids and known values only (see AttemptTracker.swift).
    let tracker: Tracker
    /// Which variant of an experiment a person sees (the review step's).
    let experiments: any ExperimentBook

    func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await database.write(body)
    }

    func audit(
        _ action: String, actor: String, partner: UUID?, subject: String, outcome: String, detail: String? = nil,
        request: Request
    ) async {
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
}
