import Foundation
import StationDomain
import Vocabulary

/// FHIR `Location`: Station's markets. Reference data: every partner may read and search every market.
struct LocationProvider: FHIRResourceProvider {
    let type = "Location"
    var contacts: LocationResource.Contacts

    /// Give the configured booking phone and OSS address (`config.supportPhone`, `config.bookingURL`).
    init(supportPhone: String = StationConfig.defaultSupportPhone, bookingURL: String? = nil) {
        contacts = LocationResource.Contacts(phone: supportPhone, bookingURL: bookingURL)
    }

    var searchParameters: [FHIRSearchParameter] {
        [
            FHIRSearchParameter(
                name: "name", type: "string", documentation: "The market's name starts with it (any case)."),
            FHIRSearchParameter(
                name: "address-postalcode", type: "string", documentation: "A ZIP code the market serves."),
            FHIRSearchParameter(
                name: "address-state", type: "string", documentation: "The market's state code, e.g. CO."),
        ]
    }

    func read(_ id: String, in context: FHIRContext) async throws -> (any FHIRResource)? {
        guard let marketID = MarketID(wire: id), let market = try await context.store.market(marketID) else {
            return nil
        }
        let changes = try await context.store.publishedChanges()
        return try LocationResource(market: market, contacts: contacts, lastUpdated: changes.changed(market.id))
    }

    func search(_ search: FHIRSearch, in context: FHIRContext) async throws -> FHIRSearchPage {
        let filter = try LocationFilter(search)
        let matches = try await context.store.markets().filter(filter.matches)
        let offset =
            try search.cursor.map { cursor in
                guard let offset = Int(cursor), offset >= 0 else { throw FHIRError.badRequest("_cursor is not valid.") }
                return offset
            } ?? 0
        guard !search.onlyCount else { return FHIRSearchPage(resources: [], total: matches.count, next: nil) }
        let changes = try await context.store.publishedChanges()
        let page = matches.dropFirst(offset).prefix(search.count)
        let resources = try page.map { market in
            try LocationResource(market: market, contacts: contacts, lastUpdated: changes.changed(market.id))
        }
        let end = offset + page.count
        return FHIRSearchPage(resources: resources, total: matches.count, next: end < matches.count ? "\(end)" : nil)
    }
}
