import ExpressDomain
import Foundation
import Platform
import Vapor
import Vocabulary

/// The list's filter form: what the query asks for, the session's name search, and the form's own context.
extension CareRequestsController {
    /// The filter `query` asks for, or what is wrong with it (each part in words, by field).
    struct Resolved {
        var filter: CareRequestFilter?
        var messages: [CareRequestFilter.Field: String] = [:]
        /// The session's name search, when the query names the current one.
        var name: String?
    }

    func resolve(_ query: CareRequestListQuery, _ req: Request, _ user: SessionUser) -> Resolved {
        var input = query.input
        var resolved = Resolved()
        if let id = query.searchID {
            if let search = CareRequestNameSearch.current(req.webSession, id: id) {
                input.patientName = search.name
                resolved.name = search.name
            } else {
                resolved.messages[.name] = "That patient name search has ended. Search for the name again."
            }
        }
        do {
            resolved.filter = try CareRequestFilter(input, me: user.id, zone: user.timeZone)
        } catch {
            resolved.messages.merge(error.messages) { first, _ in first }
        }
        if !resolved.messages.isEmpty { resolved.filter = nil }
        return resolved
    }

    struct Option: Encodable {
        var value: String
        var label: String
        var selected: Bool
    }

    struct Hidden: Encodable {
        var name: String
        var value: String
    }

    struct FilterErrors: Encodable {
        var status: String?
        var market: String?
        var from: String?
        var to: String?
        var name: String?
        var any: Bool
    }

    /// What the filter form, the name search, its chip and the CSV form show.
    struct FilterForm: Encodable {
        var statuses: [Option]
        var markets: [Option]
        var mine: Bool
        var from: String
        var to: String
        var searchID: String?
        /// The chip of the session's name search; the name is in the page, never in its links.
        var name: String?
        var removeNameURL: String
        var clearURL: String
        var filtered: Bool
        /// The filter without the name search, for the name search form (it adds its own).
        var kept: [Hidden]
        /// The whole filter, for the CSV form.
        var all: [Hidden]
        var errors: FilterErrors
        var tabCurrentURL: String
        var tabPastURL: String
    }

    func filterForm(_ asked: CareRequestListQuery, _ resolved: Resolved, markets: [Market]) -> FilterForm {
        var query = asked
        // A name search that has ended is dropped from every link and form, so the next click works.
        if resolved.name == nil { query.searchID = nil }
        var withoutName = query
        withoutName.searchID = nil
        let messages = resolved.messages
        let hidden = { (q: CareRequestListQuery) in q.fields().map { Hidden(name: $0.name, value: $0.value) } }
        return FilterForm(
            statuses: CareRequestStatus.allCases.filter { $0.phase == query.phase }.map {
                Option(value: $0.rawValue, label: Wording.status($0.rawValue), selected: $0.rawValue == query.status)
            },
            markets: markets.map {
                Option(value: $0.id.wire, label: $0.name, selected: $0.id.wire == query.market?.lowercased())
            },
            mine: query.mine, from: query.from ?? "", to: query.to ?? "",
            searchID: query.searchID, name: resolved.name,
            removeNameURL: withoutName.path(), clearURL: CareRequestListQuery().switched(to: query.phase).path(),
            filtered: query.isFiltered, kept: hidden(withoutName), all: hidden(query),
            errors: FilterErrors(
                status: messages[.status], market: messages[.market], from: messages[.from], to: messages[.to],
                name: messages[.name], any: !messages.isEmpty),
            tabCurrentURL: query.switched(to: .current).path(), tabPastURL: query.switched(to: .past).path())
    }
}
