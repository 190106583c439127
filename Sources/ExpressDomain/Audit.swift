import Vocabulary

/// Where an audited action came from: who, for which partner, and the request it arrived in (a browser's
/// request id and address, a machine caller's webhook id and client, or `cli`).
package struct AuditContext: Sendable, Equatable {
    package var user: UserID?
    package var partner: PartnerID?
    package var requestID: String
    package var client: String

    package init(user: UserID? = nil, partner: PartnerID? = nil, requestID: String, client: String) {
        self.user = user
        self.partner = partner
        self.requestID = requestID
        self.client = client
    }

    /// The command line: an operator at the server.
    package static func commandLine(user: UserID? = nil, partner: PartnerID? = nil) -> AuditContext {
        AuditContext(user: user, partner: partner, requestID: "cli", client: "cli")
    }

    /// The same origin, on behalf of another user or partner.
    package func about(user: UserID?, partner: PartnerID?) -> AuditContext {
        AuditContext(user: user, partner: partner, requestID: requestID, client: client)
    }
}

/// One audited access: what was done to which care requests and patients, and how it ended.
package struct AuditEntry: Sendable, Equatable {
    package var action: String
    /// As the caller saw them: Station's ids, or what a browser asked for (kept to 64 characters).
    package var careRequestIDs: [String]
    package var patientIDs: [String]
    package var outcome: String
    package var detail: String?

    package init(
        action: String, careRequestIDs: [String] = [], patientIDs: [String] = [], outcome: String, detail: String? = nil
    ) {
        self.action = action
        self.careRequestIDs = careRequestIDs
        self.patientIDs = patientIDs
        self.outcome = outcome
        self.detail = detail
    }

    package init(
        action: String, careRequests: [CareRequestID], patients: [PatientID] = [], outcome: String,
        detail: String? = nil
    ) {
        self.init(
            action: action, careRequestIDs: careRequests.map(\.wire), patientIDs: patients.map(\.wire),
            outcome: outcome,
            detail: detail)
    }

    /// Ids in their one canonical form (lowercase, as "who viewed" and the export search them; PostgreSQL's `LIKE`
    /// is case-sensitive), space-delimited so that a search for " id " matches whole ids only.
    package static func idList(_ ids: [String]) -> String {
        ids.isEmpty ? "" : " " + ids.map(canonical).joined(separator: " ") + " "
    }

    /// One id lowercased, without whitespace. Ids are ASCII (UUIDs), which is lowercased byte by byte: the
    /// general path (Unicode lowercasing and a whitespace test per character) cost more than the rest of a list
    /// page's audit.
    private static func canonical(_ id: String) -> String {
        guard id.utf8.allSatisfy({ $0 < 0x80 }) else { return id.lowercased().filter { !$0.isWhitespace } }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(id.utf8.count)
        for byte in id.utf8 where byte != 0x20 && !(0x09...0x0D).contains(byte) {
            bytes.append((0x41...0x5A).contains(byte) ? byte + 0x20 : byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// What a search for one id in an id list looks for.
    package static func idPattern(_ id: String) -> String { " \(id.lowercased()) " }
}
