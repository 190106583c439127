// swift-format-ignore-file: AlwaysUseLowerCamelCase
// (FHIR's JSON names are its own: `resourceType`, `extension`.)

import Foundation
import StationDomain
import Vocabulary

/// A market as a FHIR `Location`: public reference data, shared by the FHIR API and the published availability.
struct LocationResource: FHIRResource, Equatable {
    let resourceType = "Location"
    var id: String
    var meta: FHIRMeta?
    var status = "active"
    var name: String
    var description: String?
    var telecom: [FHIRContactPoint]?
    var address: FHIRAddress?
    /// The ZIP codes served, one `served-postal-code` each.
    var `extension`: [FHIRExtension]?

    /// How a market's Location tells people to book: the booking phone and OSS.
    struct Contacts: Sendable {
        var phone: String
        var bookingURL: String?
    }

    init(market: MarketModel, contacts: Contacts, lastUpdated: Date?) throws {
        id = MarketID(try market.requireID()).wire
        meta = lastUpdated.map { FHIRMeta(lastUpdated: FHIRTime.instant($0)) }
        name = market.name
        description = "Home visits in the \(market.name) area (\(market.state)), booked online or by phone."
        telecom =
            [FHIRContactPoint(system: "phone", value: contacts.phone, use: "work")]
            + (contacts.bookingURL.map { [FHIRContactPoint(system: "url", value: $0, use: "work")] } ?? [])
        let zips = market.zipCodes.sorted()
        address = FHIRAddress(city: market.name, state: market.state, postalCode: zips.first, country: "US")
        `extension` =
            zips.isEmpty ? nil : zips.map { FHIRExtension(url: FHIRSystems.servedPostalCode, valueString: $0) }
    }
}
