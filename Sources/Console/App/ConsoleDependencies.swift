import ExpressInternalAPI
import Foundation
import Platform
import Vocabulary

/// The collaborators Console talks to; ``live(_:)`` builds the HTTP ones from the configuration, tests pass
/// doubles (or an in-process Station's address).
package struct ConsoleDependencies: Sendable {
    package var station: StationStaffGateway
    /// Console's own machine token for Station's event feed (console-m2m, `station.events.read`).
    package var stationMachineTokens: any AccessTokenSource
    package var policy: any PolicyChecker
    package var express: ExpressInternalAPI.Client
    package var relyingParty: RelyingParty
    /// Console's analytics (sign-in, triage decisions, visit status changes, onboarding, the funnel page).
    package var tracker: Tracker

    package init(
        station: StationStaffGateway, stationMachineTokens: any AccessTokenSource, policy: any PolicyChecker,
        express: ExpressInternalAPI.Client, relyingParty: RelyingParty, tracker: Tracker
    ) {
        self.station = station
        self.stationMachineTokens = stationMachineTokens
        self.policy = policy
        self.express = express
        self.relyingParty = relyingParty
        self.tracker = tracker
    }

    /// The staff scopes `console-web` asks for; Identity grants the ones the person's roles allow.
    package static let signInScopes = ["openid", "email", "profile"] + StaffRoleScopes.all

    /// The HTTP collaborators; `tracker` sends to the app's one analytics pipeline (built by ``ConsoleApp/definition``).
    package static func live(_ config: ConsoleConfig, tracker: Tracker) throws -> ConsoleDependencies {
        func tokens(_ audience: String, _ scopes: [String]) -> ClientCredentialsTokenSource {
            ClientCredentialsTokenSource(
                issuer: config.staffIssuer, clientID: config.machineClientID,
                clientSecret: config.machineClientSecret, audience: audience, scopes: scopes)
        }
        return ConsoleDependencies(
            station: try .live(stationURL: config.stationURL),
            stationMachineTokens: tokens("station", ["station.events.read"]),
            policy: try LivePolicyChecker(policyURL: config.policyURL, tokens: tokens("policy", ["policy.check"])),
            express: try .console(
                expressURL: config.expressURL, tokens: tokens("express", ["express.partners.write"])),
            relyingParty: RelyingParty(
                .init(
                    issuer: config.staffIssuer, clientID: config.clientID, clientSecret: config.clientSecret,
                    redirectURI: "\(config.publicURL)/auth/callback", scopes: signInScopes)),
            tracker: tracker)
    }
}

/// Every Station scope a staff role may hold, sorted (the sign-in request asks for all of them).
enum StaffRoleScopes {
    static let all: [String] = StaffRole.stationScopes(for: StaffRole.allCases).sorted()
}
