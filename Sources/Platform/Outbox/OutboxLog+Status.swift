import Foundation
import Vapor

extension OutboxLog {
    /// `selfsched outbox status`: the counts, then one line per message, newest first (the last `limit`).
    package func statusLines(limit: Int = 200) async throws -> [String] {
        let messages = try await messages(destination: nil, limit: limit)
        func count(_ status: OutboxMessageState.Status) -> Int { messages.filter { $0.status == status }.count }
        let formatter = ISO8601DateFormatter()
        return ["pending \(count(.pending)), delivered \(count(.delivered)), failed \(count(.failed))"]
            + messages.map { message in
                let status = message.status.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                return "\(message.id.uuidString.lowercased())  \(status)  attempts \(message.attempts)  "
                    + "to \(message.destination)  created \(formatter.string(from: message.createdAt))"
                    + (message.lastError.map { "  last error: \($0.prefix(120))" } ?? "")
            }
    }
}

extension Application {
    /// `selfsched outbox replay ID`: makes a message due again (even a delivered one; receivers are idempotent by
    /// its message id) and tries it now.
    package func replayOutbox(_ id: UUID) async throws -> String {
        let wire = id.uuidString.lowercased()
        guard try await outboxLog.replay(id) else { throw ConfigurationError("No outbox message \(wire).") }
        try await outboxWorker().deliverDue()
        guard let message = try await outboxLog.message(id) else { return "queued \(wire)" }
        return message.status == .delivered
            ? "delivered \(wire)" : "queued \(wire); \(message.destination) did not accept it yet"
    }
}

extension ServiceDefinition {
    /// `selfsched outbox status` for this service, built live and migrated (its worker not running).
    package func outboxStatus(_ settings: ServiceSettings) async throws -> [String] {
        try await withMigrated(settings) { app in try await app.outboxLog.statusLines() }
    }

    /// `selfsched outbox replay ID` for this service.
    package func replayOutbox(_ id: UUID, _ settings: ServiceSettings) async throws -> String {
        try await withMigrated(settings) { app in try await app.replayOutbox(id) }
    }
}
