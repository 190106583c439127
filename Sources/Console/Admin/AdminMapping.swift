import ConsoleDomain
import ExpressInternalAPI
import Foundation
import Platform
import StationAPI
import Vocabulary

// The admin forms' validated values as Station's and Express's generated types, and back.

extension StationAPI.Components.Schemas.NewPartner {
    init(_ partner: NewPartner) {
        self.init(name: partner.name, slug: partner.slug.value, marketIds: partner.markets.map(\.wire))
    }
}

extension StationAPI.Components.Schemas.MarketInput {
    init(_ settings: MarketSettings) {
        self.init(
            name: settings.name, state: settings.state, timeZone: settings.timeZone, zipCodes: settings.zipCodes,
            opensAt: settings.opensAt.description, closesAt: settings.closesAt.description,
            windowMinutes: settings.windowMinutes, capacityPerWindow: settings.capacityPerWindow,
            roadFactor: settings.roadFactor, averageSpeedMph: settings.averageSpeedMph)
    }
}

extension MarketForm {
    /// The form filled with a market as Station keeps it, for editing.
    init(_ market: StationAPI.Components.Schemas.Market) {
        self.init(
            name: market.name, state: market.state, timeZone: market.timeZone,
            zipCodes: market.zipCodes.joined(separator: ", "), opensAt: market.opensAt, closesAt: market.closesAt,
            windowMinutes: String(market.windowMinutes), capacityPerWindow: String(market.capacityPerWindow),
            roadFactor: MarketForm.factor(market.roadFactor), averageSpeedMph: String(market.averageSpeedMph))
    }
}

extension ExpressInternalAPI.Components.Schemas.PartnerOnboarding {
    /// Express's half of a partner Station made: the same id, name and slug, its phases and first admin.
    init(_ partner: PartnerID, name: String, slug: String, phases: Phases, firstAdmin: FirstAdmin) {
        self.init(
            partnerId: partner.wire, name: name, slug: slug, stationCareRequests: phases.stationCareRequests,
            ossHandoff: phases.ossHandoff, firstAdmin: .init(email: firstAdmin.email, name: firstAdmin.name))
    }
}

extension FormErrors {
    /// Station's refusal of a form, each bad field beside its field (`fields`); a refusal naming no field of the
    /// form goes on `conflictField` when it is a 409 that names one thing (a slug, a ZIP code), else on the form.
    init(
        _ problem: StationProblem, fields: Set<String>, conflictField: String? = nil, renamed: [String: String] = [:]
    ) {
        self.init()
        for error in problem.fieldErrors {
            add(servicePath: error.field, error.message, renamed: renamed, fields: fields)
        }
        if isEmpty {
            add(problem.status == 409 ? conflictField ?? FormErrors.form : FormErrors.form, problem.message)
        }
    }
}
