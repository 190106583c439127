// swift-format-ignore-file: AlwaysUseLowerCamelCase
// (OAuth and OpenID Connect wire names: form fields and JSON keys are snake_case by their standards.)

import Fluent
import Foundation
import IdentityDomain
import Platform
import Vocabulary

/// Clients and accounts from a JSON file (`IDENTITY_CONFIG_FILE`), registered at start beside or instead of
/// the demo ones. Secrets never sit in the file: each names the environment variable that holds it.
///
/// ```json
/// {"clients": [{"id": "partner-app", "tenant": "express", "name": "Partner app", "secret_env": "PARTNER_APP_SECRET",
///               "redirect_uris": ["https://app.example/cb"], "grant_types": ["authorization_code"], "user_audience": "express",
///               "scopes": ["openid", "email", "profile"]}],
///  "accounts": [{"tenant": "staff", "email": "nurse@example.com", "name": "Nia Nurse", "password_env": "NURSE_PASSWORD",
///                "staff_roles": ["nurse"], "staff_markets": ["*"]}]}
/// ```
/// A staff account's `staff_roles` (`nurse`, `dispatcher`, `operations_admin`) and `staff_markets` (market ids, or
/// `*` for every market) are set at every start, also on an account that exists; without them it has none.
struct ConfiguredIdentities: Decodable {
    struct Client: Decodable {
        var id: String
        var tenant: Tenant
        var name: String
        var secret_env: String
        var redirect_uris: [String]?
        var post_logout_redirect_uris: [String]?
        var backchannel_logout_uri: String?
        var grant_types: [String]
        var user_audience: String?
        var m2m: [String]?
        /// The scopes its users' tokens may carry; OpenID's own when omitted.
        var scopes: [String]?
    }

    struct Account: Decodable {
        var tenant: Tenant
        var email: String
        var name: String
        var password_env: String
        var staff_roles: [String]?
        var staff_markets: [String]?

        /// The staff roles and markets the file gives, nil when it names none.
        func staffAccess() throws -> StaffAccess? {
            guard staff_roles != nil || staff_markets != nil else { return nil }
            guard tenant == .staff else {
                throw ConfigurationError("Account \(email) of the \(tenant.rawValue) tenant may not have staff roles.")
            }
            do {
                return try StaffAccess(
                    roles: staff_roles?.joined(separator: " "), markets: staff_markets?.joined(separator: " "))
            } catch {
                throw ConfigurationError(
                    "Account \(email): \(error.field) has \"\(error.value)\", which is not "
                        + (error.field == "staff_roles"
                            ? "one of \(StaffRole.allCases.map(\.rawValue).joined(separator: ", "))."
                            : "a market id or *."))
            }
        }
    }

    var clients: [Client]?
    var accounts: [Account]?

    static func load(_ path: String) throws -> ConfiguredIdentities {
        do {
            return try JSONDecoder().decode(
                ConfiguredIdentities.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ConfigurationError("IDENTITY_CONFIG_FILE \(path) could not be read: \(error)")
        }
    }

    /// Registers (or updates) every client and adds missing accounts.
    func register(with service: IdentityService, environment: [String: String]) async throws {
        func secret(_ name: String, for what: String) throws -> String {
            guard let value = environment[name], !value.isEmpty else {
                throw ConfigurationError("\(what) needs its secret in the environment variable \(name).")
            }
            return value
        }
        var hashes: [String: String] = [:]
        var staff: [String: StaffAccess] = [:]
        for account in accounts ?? [] {
            staff[account.email] = try account.staffAccess()
            hashes[account.email] = try await service.hashPassword(
                try secret(account.password_env, for: account.email))
        }
        let passwordHashes = hashes
        let staffAccess = staff
        for client in clients ?? [] {
            let refused = (client.scopes ?? []).filter { !ScopeGrant.mayHold($0, tenant: client.tenant) }
            guard refused.isEmpty else {
                throw ConfigurationError(
                    "Client \(client.id) of the \(client.tenant.rawValue) tenant may not give its users "
                        + "the staff scopes \(refused.joined(separator: " ")).")
            }
        }
        let clientSecrets = try (clients ?? []).map { ($0, try secret($0.secret_env, for: "client \($0.id)")) }
        try await service.write { db in
            for (client, secret) in clientSecrets {
                let model = try await ClientModel.find(client.id, on: db) ?? ClientModel()
                model.id = client.id
                model.tenant = client.tenant.rawValue
                model.name = client.name
                model.secretHash = Secrets.sha256Hex(secret)
                model.redirectURIs = client.redirect_uris ?? []
                model.postLogoutRedirectURIs = client.post_logout_redirect_uris ?? []
                model.backchannelLogoutURI = client.backchannel_logout_uri
                model.grantTypes = client.grant_types
                model.userAudience = client.user_audience
                model.m2mGrants = client.m2m ?? []
                model.allowedScopes = client.scopes ?? ScopeGrant.openIDScopes
                try await model.save(on: db)
            }
            for account in accounts ?? [] {
                let existing =
                    try await AccountModel.query(on: db).filter(\.$tenant == account.tenant.rawValue)
                    .filter(\.$email == account.email.lowercased()).first()
                let model =
                    existing
                    ?? AccountModel(
                        tenant: account.tenant, email: account.email, name: account.name,
                        passwordHash: passwordHashes[account.email]!, at: service.now())
                if let access = staffAccess[account.email] { model.staffAccess = access }
                try await model.save(on: db)
            }
        }
    }
}
