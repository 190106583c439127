import Vocabulary

/// What a staff account may do and where: its roles and markets. Stored on the account as space-separated
/// text, carried in its user's tokens as the `roles` and `markets` claims.
package struct StaffAccess: Sendable, Equatable {
    package var roles: Set<StaffRole>
    package var markets: MarketAccess

    /// No role and no market: a staff account that may sign in but use no API.
    package static let none = StaffAccess(roles: [], markets: .only([]))

    package init(roles: Set<StaffRole>, markets: MarketAccess) {
        self.roles = roles
        self.markets = markets
    }

    /// A value that cannot be read as a role or a market.
    package struct Invalid: Error, Equatable, Sendable {
        package var field: String
        package var value: String

        package init(field: String, value: String) {
            self.field = field
            self.value = value
        }
    }

    /// Reads the text form (`"nurse dispatcher"`, `"*"` or market ids), refusing anything else.
    package init(roles: String?, markets: String?) throws(Invalid) {
        var parsedRoles = Set<StaffRole>()
        for raw in Self.words(roles) {
            guard let role = StaffRole(rawValue: raw) else { throw Invalid(field: "staff_roles", value: raw) }
            parsedRoles.insert(role)
        }
        let marketWords = Self.words(markets)
        for raw in marketWords where raw != MarketAccess.everyMarket && MarketID(wire: raw) == nil {
            throw Invalid(field: "staff_markets", value: raw)
        }
        self.init(roles: parsedRoles, markets: MarketAccess(claim: marketWords))
    }

    /// The `roles` claim: raw values, sorted so tokens are stable.
    package var roleClaim: [String] { roles.sorted().map(\.rawValue) }

    /// The text stored on the account.
    package var storedRoles: String { roleClaim.joined(separator: " ") }
    package var storedMarkets: String { markets.claim.joined(separator: " ") }

    /// The API scopes this member may hold: those of their roles, none without a role.
    package var apiScopes: Set<String> { StaffRole.stationScopes(for: roles) }

    private static func words(_ text: String?) -> [String] {
        (text ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
    }
}
