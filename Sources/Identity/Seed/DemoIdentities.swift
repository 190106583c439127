import Foundation
import IdentityDomain
import Vocabulary

/// The demo accounts and clients, all accounts with the password `selfsched-demo`.
package enum DemoIdentities {
    package static let password = "selfsched-demo"
    /// The demo accounts that must have the second factor (partner admins, staff) are seeded with it on, from
    /// this public secret: `selfsched totp SELFSCHEDULINGDEMOSECONDFACTORAA` prints the current code.
    package static let totpSecret = "SELFSCHEDULINGDEMOSECONDFACTORAA"

    package struct Account: Sendable {
        package var tenant: Tenant
        package var email: String
        package var name: String
        package var note: String
        /// A staff member's roles and markets.
        var staff: StaffAccess?

        /// Partner admins and staff sign in with a second factor (``totpSecret``).
        package var hasSecondFactor: Bool { staff != nil || DemoIdentities.partnerAdmins.contains(email) }
    }

    static let partnerAdmins: Set<String> = ["admin@sunrise.example", "admin@mercy.example"]

    package static let accounts: [Account] = [
        Account(tenant: .express, email: "admin@sunrise.example", name: "Ada Admin", note: "Sunrise admin"),
        Account(tenant: .express, email: "scheduler@sunrise.example", name: "Sam Scheduler", note: "Sunrise scheduler"),
        Account(tenant: .express, email: "viewer@sunrise.example", name: "Vic Viewer", note: "Sunrise viewer"),
        Account(
            tenant: .express, email: "monitor@sunrise.example", name: "Synthetic Monitor",
            note: "Sunrise synthetic monitoring (smoke check)"),
        Account(tenant: .express, email: "admin@mercy.example", name: "Maya Admin", note: "Mercy admin"),
        Account(tenant: .patients, email: "patient@example.com", name: "Pat Patient", note: "patients tenant"),
        Account(
            tenant: .staff, email: "nurse@example.com", name: "Nia Nurse", note: "staff: nurse, every market",
            staff: StaffAccess(roles: [.nurse], markets: .all)),
        Account(
            tenant: .staff, email: "dispatcher@example.com", name: "Dee Dispatcher",
            note: "staff: dispatcher, every market", staff: StaffAccess(roles: [.dispatcher], markets: .all)),
        Account(
            tenant: .staff, email: "ops@example.com", name: "Opal Ops", note: "staff: operations admin, every market",
            staff: StaffAccess(roles: [.operationsAdmin], markets: .all)),
    ]

    struct Client {
        var id: String
        var tenant: Tenant
        var name: String
        var redirectURIs: [String] = []
        var postLogoutRedirectURIs: [String] = []
        var grants: [String]
        var userAudience: String?
        var m2m: [String] = []
        /// What its users' tokens may carry (sign-in clients only).
        var scopes: [String] = ScopeGrant.openIDScopes
        /// Where it hears that its user signed out.
        var backchannelLogoutURI: String?
    }

    static let stationScopes = [
        "station.patients.read", "station.patients.write", "station.care_requests.read",
        "station.care_requests.write", "station.dispatch",
    ]

    /// Every scope a staff role may hold, sorted.
    static let staffScopes = StaffRole.stationScopes(for: StaffRole.allCases).sorted()

    static func clients(_ config: IdentityConfig) -> [Client] {
        let express = config.expressWebURL
        let oss = config.ossWebURL
        let console = config.consoleWebURL
        return [
            Client(
                id: "express-web", tenant: .express, name: "Express", redirectURIs: ["\(express)/auth/callback"],
                postLogoutRedirectURIs: ["\(express)/", "\(express)/signed-out"], grants: ["authorization_code"],
                userAudience: "express",
                backchannelLogoutURI: "\(express)/auth/backchannel-logout"),
            Client(
                id: "oss-partner-web", tenant: .express, name: "Online Self Scheduling (partners)",
                redirectURIs: ["\(oss)/partner/auth/callback"], postLogoutRedirectURIs: ["\(oss)/partner/"],
                grants: ["authorization_code"], userAudience: "oss",
                backchannelLogoutURI: "\(oss)/partner/auth/backchannel-logout"),
            Client(
                id: "oss-d2m-web", tenant: .patients, name: "Online Self Scheduling",
                redirectURIs: ["\(oss)/auth/callback"], postLogoutRedirectURIs: ["\(oss)/"],
                grants: ["authorization_code"], userAudience: "oss",
                backchannelLogoutURI: "\(oss)/auth/backchannel-logout"),
            Client(
                id: "interop-test", tenant: .patients, name: "Interop test client",
                redirectURIs: ["http://127.0.0.1:8999/callback"], postLogoutRedirectURIs: ["http://127.0.0.1:8999/"],
                grants: ["authorization_code"], userAudience: "interop"),
            Client(
                id: "express-m2m", tenant: .staff, name: "Express backend", grants: ["client_credentials"],
                m2m: [
                    "station station.patients.read", "station station.care_requests.read", "oss oss.handoffs.create",
                    "identity identity.accounts.write", "station station.events.read",
                    "identity identity.clients.write",
                ]),
            Client(
                id: "oss-m2m", tenant: .staff, name: "OSS backend", grants: ["client_credentials"],
                m2m: [
                    "station station.patients.read", "station station.patients.write",
                    "station station.care_requests.read",
                    "station station.care_requests.write", "policy policy.check", "express express.callbacks.write",
                    "express express.claims.read", "station station.events.read",
                ]),
            Client(
                id: "console-web", tenant: .staff, name: "Console", redirectURIs: ["\(console)/auth/callback"],
                postLogoutRedirectURIs: ["\(console)/", "\(console)/signed-out"], grants: ["authorization_code"],
                userAudience: "station", scopes: ScopeGrant.openIDScopes + staffScopes,
                backchannelLogoutURI: "\(console)/auth/backchannel-logout"),
            Client(
                id: "console-m2m", tenant: .staff, name: "Console backend", grants: ["client_credentials"],
                m2m: [
                    "station station.events.read", "policy policy.check", "express express.partners.write",
                    "identity identity.accounts.write",
                ]),
            Client(
                id: "cli-m2m", tenant: .staff, name: "Command line", grants: ["client_credentials"],
                m2m: stationScopes.map { "station \($0)" } + ["express express.flags.write"]),
        ]
    }
}
