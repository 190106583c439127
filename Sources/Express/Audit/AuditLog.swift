import ExpressDomain
import Fluent
import Foundation
import Platform
import Vocabulary

/// The one audit writer, for pages, the partner API, the internal API and the command line alike: what was done
/// (``AuditEntry``) and where it came from (``AuditContext``). A PHI response is sent only after its event is
/// stored: if the write fails, `record` throws and the data is not served.
struct AuditLog: Sendable {
    let db: any Database
    let gate: WriteGate
    let now: @Sendable () -> Date

    /// Stores the event on its own.
    func record(_ entry: AuditEntry, _ context: AuditContext) async throws {
        let row = event(entry, context)
        try await gate.run { try await row.create(on: db) }
    }

    /// Stores the event in the caller's transaction, so that a change and its audit are kept or lost together.
    func record(_ entry: AuditEntry, _ context: AuditContext, on db: any Database) async throws {
        try await event(entry, context).create(on: db)
    }

    private func event(_ entry: AuditEntry, _ context: AuditContext) -> AuditEventModel {
        let row = AuditEventModel()
        row.id = UUID()
        row.at = now()
        row.userID = context.user?.rawValue
        row.partnerID = context.partner?.rawValue
        row.action = entry.action
        row.careRequestIDs = AuditEntry.idList(entry.careRequestIDs)
        row.patientIDs = AuditEntry.idList(entry.patientIDs)
        row.requestID = context.requestID
        row.clientAddress = context.client
        row.outcome = entry.outcome
        row.detail = entry.detail
        return row
    }

    /// Who viewed a care request, newest first.
    func viewers(of careRequest: CareRequestID, partner: PartnerID) async throws -> [AuditEventModel] {
        try await AuditEventModel.query(on: db)
            .filter(\.$partnerID == partner.rawValue)
            .filter(\.$careRequestIDs, .contains(inverse: false, .anywhere), AuditEntry.idPattern(careRequest.wire))
            .sort(\.$at, .descending).limit(50).all()
    }
}

/// Segment-style product analytics: `track` events with ids only, never PHI.
package protocol ExpressAnalyticsSink: Sendable {
    func track(_ event: String, userID: UUID?, properties: [String: String]) async
}

/// JSON lines appended to a file in the data directory.
package actor JSONLinesAnalytics: ExpressAnalyticsSink {
    let url: URL

    package init(path: String) { url = URL(fileURLWithPath: path) }

    package func track(_ event: String, userID: UUID?, properties: [String: String]) async {
        let record = TrackRecord(
            event: event, userId: userID.map { UserID(rawValue: $0).wire }, properties: properties,
            timestamp: Date().formatted(.iso8601))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard var line = try? encoder.encode(record) else { return }
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

/// One line of the analytics file, in Segment's `track` shape.
private struct TrackRecord: Encodable {
    var type = "track"
    var event: String
    var userId: String?
    var properties: [String: String]
    var timestamp: String

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(event, forKey: .event)
        try container.encode(userId, forKey: .userId) // null for an anonymous event, as before
        try container.encode(properties, forKey: .properties)
        try container.encode(timestamp, forKey: .timestamp)
    }

    enum CodingKeys: String, CodingKey { case type, event, userId, properties, timestamp }
}
