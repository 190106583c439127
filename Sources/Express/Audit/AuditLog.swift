import Fluent
import Foundation
import Platform
import Vapor

/// One audited access: who, for which partner, did what to which care requests and patients, and how it ended.
package struct AuditEntry: Sendable {
    package var userID: UUID?
    package var partnerID: UUID?
    package var action: String
    package var careRequestIDs: [String] = []
    package var patientIDs: [String] = []
    package var outcome: String
    package var detail: String?
}

/// Writes audit events. A PHI response is sent only after its event is stored: if the write fails, the
/// caller's `record` throws and the data is not served.
struct AuditLog: Sendable {
    let db: any Database
    let gate: WriteGate
    let now: @Sendable () -> Date

    func record(_ entry: AuditEntry, request: Request) async throws {
        let row = Self.event(entry, at: now(), requestID: request.id, client: request.remoteAddress?.ipAddress ?? "unknown")
        try await gate.run { try await row.create(on: db) }
    }

    /// The one way an audit event is made; callers that must write it in their own transaction (a change and its
    /// audit together) create the row there. `requestID` and `client` say where it came from: a browser request, a
    /// machine caller's webhook id and client, or `cli`.
    static func event(_ entry: AuditEntry, at: Date, requestID: String, client: String) -> AuditEventModel {
        let row = AuditEventModel()
        row.id = UUID()
        row.at = at
        row.userID = entry.userID
        row.partnerID = entry.partnerID
        row.action = entry.action
        row.careRequestIDs = idList(entry.careRequestIDs)
        row.patientIDs = idList(entry.patientIDs)
        row.requestID = requestID
        row.clientAddress = client
        row.outcome = entry.outcome
        row.detail = entry.detail
        return row
    }

    /// Ids in their one canonical form (lowercase, as `viewers(of:)` and the export search them; PostgreSQL's
    /// `LIKE` is case-sensitive), space-delimited so that a search for " id " matches whole ids only.
    static func idList(_ ids: [String]) -> String {
        ids.isEmpty ? "" : " " + ids.map { $0.lowercased().filter { !$0.isWhitespace } }.joined(separator: " ") + " "
    }

    /// Who viewed a care request, newest first.
    func viewers(of careRequest: UUID, partner: UUID) async throws -> [AuditEventModel] {
        try await AuditEventModel.query(on: db)
            .filter(\.$partnerID == partner)
            .filter(\.$careRequestIDs, .contains(inverse: false, .anywhere), " \(careRequest.uuidString.lowercased()) ")
            .sort(\.$at, .descending).limit(50).all()
    }
}

/// Segment-style product analytics: `track` events with ids only, never PHI.
package protocol AnalyticsSink: Sendable {
    func track(_ event: String, userID: UUID?, properties: [String: String]) async
}

/// JSON lines appended to a file in the data directory.
package actor JSONLinesAnalytics: AnalyticsSink {
    let url: URL

    package init(path: String) { url = URL(fileURLWithPath: path) }

    package func track(_ event: String, userID: UUID?, properties: [String: String]) async {
        let record: [String: Any] = ["type": "track", "event": event, "userId": userID?.uuidString.lowercased() ?? NSNull(),
                                     "properties": properties, "timestamp": Date().formatted(.iso8601)]
        guard var line = try? JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]) else { return }
        line.append(0x0A)
        if !FileManager.default.fileExists(atPath: url.path) {
            try? FilePrivacy.ensureDirectory(url.deletingLastPathComponent())
            _ = FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        guard let handle = try? FileHandle(forWritingTo: url) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: line)
    }
}
