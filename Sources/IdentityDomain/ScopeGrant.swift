import Vocabulary

/// Which of the scopes a client asks for at sign-in it is given. RFC 6749 §3.3 lets the server issue fewer
/// scopes than requested (and say so in the token response), so scopes a client may not have are dropped.
package enum ScopeGrant {
    /// OpenID Connect's own scopes: what a sign-in client may ask for unless its registration says otherwise.
    package static let openIDScopes = ["openid", "email", "profile"]

    /// Our APIs' scopes are namespaced (`station.dispatch`, `identity.accounts.write`); OpenID's are not.
    package static func isAPIScope(_ scope: String) -> Bool { scope.contains(".") }

    /// Whether a user of `tenant` may ever hold `scope`: API scopes are for staff (and machines) only, so a
    /// partner user's or a patient's token never carries one, whatever a client's registration says.
    package static func mayHold(_ scope: String, tenant: Tenant) -> Bool { tenant == .staff || !isAPIScope(scope) }

    /// The requested scopes the client is allowed, in the order asked, each once. A staff member gets only
    /// the API scopes their roles allow (`staff`; none for other tenants, whose users never hold API scopes).
    package static func granted(requested: String, allowed: [String], tenant: Tenant, staff: StaffAccess)
        -> [String]
    {
        var seen = Set<String>()
        let roleScopes = tenant == .staff ? staff.apiScopes : []
        return requested.split(separator: " ").map(String.init).filter { scope in
            allowed.contains(scope) && mayHold(scope, tenant: tenant)
                && (!isAPIScope(scope) || roleScopes.contains(scope)) && seen.insert(scope).inserted
        }
    }
}
