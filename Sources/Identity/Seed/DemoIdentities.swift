import Foundation
import IdentityDomain

/// The demo accounts and clients, all accounts with the password `selfsched-demo`.
package enum DemoIdentities {
    package static let password = "selfsched-demo"

    package static let accounts: [(tenant: Tenant, email: String, name: String, note: String)] = [
        (.express, "admin@sunrise.example", "Ada Admin", "Sunrise admin"),
        (.express, "scheduler@sunrise.example", "Sam Scheduler", "Sunrise scheduler"),
        (.express, "viewer@sunrise.example", "Vic Viewer", "Sunrise viewer"),
        (.express, "monitor@sunrise.example", "Synthetic Monitor", "Sunrise synthetic monitoring (smoke check)"),
        (.express, "admin@mercy.example", "Maya Admin", "Mercy admin"),
        (.patients, "patient@example.com", "Pat Patient", "patients tenant"),
        (.staff, "dispatcher@example.com", "Dee Dispatcher", "staff"),
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

    static func clients(_ config: IdentityConfig) -> [Client] {
        let express = config.expressWebURL
        let oss = config.ossWebURL
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
                id: "cli-m2m", tenant: .staff, name: "Command line", grants: ["client_credentials"],
                m2m: stationScopes.map { "station \($0)" } + ["express express.flags.write"]),
        ]
    }
}
