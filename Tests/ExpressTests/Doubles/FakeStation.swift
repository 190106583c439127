import ExpressDomain
import Foundation
import TestSupport
import Vocabulary

/// Station as a test sets it up: the care requests and patients of the partners the test stubbed, listed,
/// paged and searched the way Station does. A question about a partner the test did not stub, or for markets
/// it did not stub, fails the test.
final class FakeStation: StationGateway, @unchecked Sendable {
    struct Holdings {
        var careRequests: [CareRequestDetail]
        var patients: [Patient]
    }

    private let lock = NSLock()
    private var partners: [PartnerID: Holdings] = [:]
    private var marketList: [Market]?
    private var searches: [CareRequestFilter] = []
    let unexpected = UnexpectedCalls()

    func stub(_ partner: PartnerID, careRequests: [CareRequestDetail], patients: [Patient]) {
        lock.withLock { partners[partner] = Holdings(careRequests: careRequests, patients: patients) }
    }

    func stubMarkets(_ markets: [Market]) { lock.withLock { marketList = markets } }

    /// Changes one stubbed care request, as Station's record of it would change.
    func update(_ id: CareRequestID, _ change: (inout CareRequestDetail) -> Void) {
        lock.withLock {
            for (partner, var holdings) in partners {
                guard let index = holdings.careRequests.firstIndex(where: { $0.id == id }) else { continue }
                change(&holdings.careRequests[index])
                partners[partner] = holdings
            }
        }
    }

    /// What the test stubbed for `partner`; `call` names the question asked, for the failure when nothing was.
    func holdings(_ partner: PartnerID, _ call: String = #function) throws -> Holdings {
        guard let found = lock.withLock({ partners[partner] }) else {
            unexpected.record("Station.\(call) about partner \(partner.wire)")
            throw ServiceUnavailable(service: "Station", description: "not stubbed")
        }
        return found
    }

    func careRequests(partner: PartnerID, phase: CareRequestPhase, cursor: String?, limit: Int) async throws
        -> CareRequestPage
    {
        let items = try holdings(partner).careRequests
            .filter { [.complete, .archived].contains($0.status) == (phase == .past) }
            .sorted { $0.createdAt > $1.createdAt }
            .map(CareRequestSummary.init)
        let (page, next) = try Self.page(items, cursor: cursor, limit: limit)
        return CareRequestPage(items: page, nextCursor: next)
    }

    /// Every filter a search sent, oldest first.
    var searched: [CareRequestFilter] { lock.withLock { searches } }

    /// Station's search: every part of the filter must match; a market by its id among the stubbed markets; a
    /// name when every word begins the patient's given or family name.
    func searchCareRequests(partner: PartnerID, filter: CareRequestFilter, cursor: String?, limit: Int) async throws
        -> CareRequestPage
    {
        lock.withLock { searches.append(filter) }
        var marketName: String?
        if let id = filter.market { marketName = try await markets().first { $0.id == id }?.name ?? "" }
        let created = filter.createdRange
        let items = try holdings(partner).careRequests
            .filter { request in
                request.status.phase == filter.phase
                    && (filter.statuses.isEmpty || filter.statuses.contains(request.status))
                    && (filter.createdBy == nil || request.createdBy == filter.createdBy)
                    && (marketName == nil || request.market == marketName)
                    && (created.from.map { request.createdAt >= $0 } ?? true)
                    && (created.before.map { request.createdAt < $0 } ?? true)
                    && (filter.patientName.map { request.patient.hasName($0) } ?? true)
            }
            .sorted { $0.createdAt > $1.createdAt }
            .map(CareRequestSummary.init)
        let (page, next) = try Self.page(items, cursor: cursor, limit: limit)
        return CareRequestPage(items: page, nextCursor: next)
    }

    func careRequest(partner: PartnerID, id: CareRequestID) async throws -> CareRequestDetail? {
        try holdings(partner).careRequests.first { $0.id == id }
    }

    func searchPatients(partner: PartnerID, query: String, cursor: String?, limit: Int) async throws -> PatientPage {
        let (page, next) = try Self.page(
            try holdings(partner).patients.filter { $0.matches(query) }, cursor: cursor, limit: limit)
        return PatientPage(items: page, nextCursor: next)
    }

    func markets() async throws -> [Market] {
        guard let markets = lock.withLock({ marketList }) else {
            unexpected.record("Station.markets()")
            throw ServiceUnavailable(service: "Station", description: "not stubbed")
        }
        return markets
    }

    /// Cursors are the fake's own (`fake-cursor-<offset>`); any other is refused, as Station refuses a cursor it
    /// did not hand out.
    static func page<Item>(_ items: [Item], cursor: String?, limit: Int) throws -> ([Item], String?) {
        var offset = 0
        if let cursor {
            guard cursor.hasPrefix("fake-cursor-"), let start = Int(cursor.dropFirst("fake-cursor-".count)), start >= 0
            else {
                throw DownstreamBadRequest(detail: "cursor is not valid")
            }
            offset = start
        }
        let page = Array(items.dropFirst(offset).prefix(limit))
        return (page, offset + limit < items.count ? "fake-cursor-\(offset + limit)" : nil)
    }
}

extension CareRequestSummary {
    init(_ request: CareRequestDetail) {
        self.init(
            id: request.id, patientID: request.patient.id, patientName: request.patient.name, status: request.status,
            serviceLine: request.serviceLine, market: request.market, source: request.source,
            createdAt: request.createdAt,
            createdBy: request.createdBy, timeWindow: request.timeWindow, eta: request.eta)
    }
}

extension Patient {
    /// Station's name match: every word begins the given or the family name, case ignored.
    func hasName(_ words: String) -> Bool {
        let parts = [givenName.lowercased(), familyName.lowercased()]
        return words.lowercased().split(separator: " ").allSatisfy { word in parts.contains { $0.hasPrefix(word) } }
    }

    /// Station's search: a part of the name, the digits of a phone number, a birth date or an MRN.
    func matches(_ query: String) -> Bool {
        let text = query.lowercased().trimmingCharacters(in: .whitespaces)
        let digits = text.filter(\.isNumber)
        return name.lowercased().contains(text) || dateOfBirth == text || mrn?.lowercased() == text
            || (!digits.isEmpty && digits.count == text.count && (phone ?? "").filter(\.isNumber).contains(digits))
    }
}
