import Foundation
import Platform

/// The browser's current patient search, kept in its server-side session so that no URL ever holds patient
/// data: not the search text (a name, a birth date, a phone number) and not Station's page cursors (which hold
/// the family and given names of the last row). URLs carry a random search id and random page tokens only.
struct PatientSearch: Codable, Sendable {
    var id: String
    var query: String
    /// Page token → Station's cursor, for the "More results" links handed out so far.
    var pages: [String: String] = [:]

    static let sessionKey = "patient_search"
    static let maxPages = 50

    init(query: String) {
        id = Self.token()
        self.query = query
    }

    /// The session's search with this id, if it is still the current one.
    static func current(_ session: WebSession, id: String?) -> PatientSearch? {
        guard let id, let raw = session[sessionKey],
            let search = try? JSONDecoder().decode(PatientSearch.self, from: Data(raw.utf8)),
            search.id == id
        else { return nil }
        return search
    }

    func save(_ session: WebSession) {
        session[Self.sessionKey] = (try? JSONEncoder().encode(self)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The page token standing for Station's `cursor` (the same token for the same cursor).
    mutating func token(for cursor: String) -> String {
        if let known = pages.first(where: { $0.value == cursor })?.key { return known }
        if pages.count >= Self.maxPages { pages.removeAll() }
        let token = Self.token()
        pages[token] = cursor
        return token
    }

    /// The path of this search's page (the first page without a token).
    func path(page token: String? = nil) -> String {
        var components = URLComponents()
        components.path = "/patients"
        components.queryItems =
            [URLQueryItem(name: "search", value: id)] + (token.map { [URLQueryItem(name: "page", value: $0)] } ?? [])
        return components.string ?? "/patients"
    }

    static func token() -> String { String(WebSession.randomID().prefix(22)) }
}
