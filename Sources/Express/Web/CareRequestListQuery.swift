import ExpressDomain
import Foundation
import Platform
import Vapor
import Vocabulary

/// The care request list's filter as its links and forms carry it: a tab, a status, "mine", a market id, creation
/// dates and the random id of a patient-name search kept in the session (``CareRequestNameSearch``). Nothing in it
/// is PHI, so it may be a URL.
struct CareRequestListQuery: Sendable, Equatable {
    var phase: CareRequestPhase = .current
    var status: String?
    var mine = false
    var market: String?
    var from: String?
    var to: String?
    /// The id of the session's name search this list is narrowed by.
    var searchID: String?

    /// Reads the fields by name: from the URL's query (the list's links and its GET form) or a POST body.
    init(_ field: (String) -> String?) {
        func text(_ name: String) -> String? {
            guard let value = field(name)?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
                return nil
            }
            return String(value.prefix(200))
        }
        phase = text("tab") == "past" ? .past : .current
        status = text("status")
        mine = text("mine") == "1"
        market = text("market")
        from = text("from")
        to = text("to")
        searchID = text("search")
    }

    init() {}

    static func query(_ req: Request) -> CareRequestListQuery { .init { req.query[String.self, at: $0] } }
    static func form(_ req: Request) -> CareRequestListQuery { .init { try? req.content.get(String.self, at: $0) } }

    /// What the filter asks for, without the name (the session holds it).
    var input: CareRequestFilter.Input {
        .init(phase: phase, statuses: status.map { [$0] } ?? [], mine: mine, market: market, from: from, to: to)
    }

    /// Any filter beyond the tab.
    var isFiltered: Bool { status != nil || mine || market != nil || from != nil || to != nil || searchID != nil }

    /// The fields, in the order links write them; `cursor` last.
    func fields(cursor: String? = nil) -> [(name: String, value: String)] {
        let all: [(String, String?)] = [
            ("tab", phase.rawValue), ("status", status), ("mine", mine ? "1" : nil), ("market", market),
            ("from", from), ("to", to), ("search", searchID), ("cursor", cursor),
        ]
        return all.compactMap { name, value in value.map { (name, $0) } }
    }

    /// The list's address for this filter (a page of it with `cursor`).
    func path(cursor: String? = nil) -> String {
        var components = URLComponents()
        components.path = "/care-requests"
        components.queryItems = fields(cursor: cursor).map { URLQueryItem(name: $0.name, value: $0.value) }
        return components.string ?? "/care-requests"
    }

    /// The same filter under another tab (a status belongs to one tab, so it is dropped).
    func switched(to phase: CareRequestPhase) -> CareRequestListQuery {
        var other = self
        other.phase = phase
        if phase != self.phase { other.status = nil }
        return other
    }
}

/// The browser's current patient-name search of the care request list, kept in its server-side session so that
/// no URL holds the name: the list's links carry the search's random id only.
struct CareRequestNameSearch: Codable, Sendable {
    var id: String
    var name: String

    static let sessionKey = "care_request_name_search"

    init(name: String) {
        id = PatientSearch.token()
        self.name = name
    }

    /// The session's search with this id, if it is still the current one.
    static func current(_ session: WebSession, id: String) -> CareRequestNameSearch? {
        guard let raw = session[sessionKey],
            let search = try? JSONDecoder().decode(CareRequestNameSearch.self, from: Data(raw.utf8)), search.id == id
        else { return nil }
        return search
    }

    func save(_ session: WebSession) {
        session[Self.sessionKey] = (try? JSONEncoder().encode(self)).map { String(decoding: $0, as: UTF8.self) }
    }
}
