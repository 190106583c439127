import ConsoleDomain
import Foundation

// Typed contexts of the admin templates (`admin-*.leaf`). `tab` picks the administration tab shown as current.

struct PartnerRow: Encodable {
    var id: String
    var name: String
    var slug: String
    var markets: String
    /// Station has the partner but Express's setup was not recorded as finished.
    var expressPending: Bool
}

struct PartnersPage: Encodable {
    var tab = "partners"
    var rows: [PartnerRow]
}

struct MarketChoice: Encodable {
    var id: String
    var name: String
    var checked: Bool
}

struct NewPartnerPage: Encodable {
    var tab = "partners"
    var form: PartnerForm
    var markets: [MarketChoice]
    var errors: FormErrors
}

/// Express's half: the partner Station has, the phases and first admin as typed, and why it did not finish.
struct ExpressSetupPage: Encodable {
    var tab = "partners"
    var partnerID: String
    var name: String
    var slug: String
    var form: PartnerForm
    var errors: FormErrors
    /// Express's refusal or that it could not be reached; nil when the admin comes back to finish.
    var expressProblem: String?
}

struct OnboardedPage: Encodable {
    var tab = "partners"
    var name: String
    var slug: String
    var adminName: String
    var adminEmail: String
    var setPasswordURL: String?
    var phaseOne: Bool
    var phaseTwo: Bool
}

struct MarketRow: Encodable {
    var id: String
    var name: String
    var state: String
    var timeZone: String
    var zipCodes: String
    var hours: String
    var windowMinutes: Int
    var places: Int
}

struct MarketsPage: Encodable {
    var tab = "markets"
    var rows: [MarketRow]
}

struct ClosureRow: Encodable {
    var date: String
    var reason: String
}

/// The new-market and edit-market page; on edit also its closures.
struct MarketPage: Encodable {
    var tab = "markets"
    /// nil for a new market.
    var marketID: String?
    var heading: String
    var form: MarketForm
    var errors: FormErrors
    /// Care requests Station named when it refused a change over bookings.
    var affected: [String] = []
    var timeZones = MarketForm.suggestedTimeZones
    var closures: [ClosureRow] = []
    var closureForm = ClosureForm()
    var closureErrors = FormErrors()
    var closureAffected: [String] = []
    var careTeams: [CareTeamRow] = []
}

struct ServiceLineRow: Encodable {
    var id: String
    var name: String
    var code: String
    /// As shown in its form: the stored length, or what was typed when it was refused.
    var visitMinutes: String
    var error: String?
}

struct ServiceLinesPage: Encodable {
    var tab = "service-lines"
    var rows: [ServiceLineRow]
    var form: ServiceLineForm
    var errors: FormErrors
}
