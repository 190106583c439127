import Foundation
import PolicyDomain
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Policy

/// A patient account acts for the people it schedules for (itself and family members), and for no one else.
@Suite("Patient accounts and the people they manage")
struct ManagingAccountsTests {
    static let daughter = Actor(tenant: .patients, userID: "daughter-account")
    /// Walter's record: his own account owns it, his daughter's account manages it too.
    static let walter = Resource(
        kind: .patient, id: "p-walter", ownerUserID: "walter-account",
        managingAccounts: ["daughter-account", "son-account"])
    static let walterRequest = Resource(
        kind: .careRequest, id: "cr-1", managingAccounts: ["daughter-account"])

    @Test("a managing account may read, schedule and change for the person, as the owner may")
    func managing() {
        for action in [Action.read, .create, .schedule, .update] {
            #expect(AccessRules.decide(Self.daughter, action, Self.walter).allowed, "\(action)")
            #expect(AccessRules.decide(Self.daughter, action, Self.walterRequest).allowed, "\(action)")
            let owner = Actor(tenant: .patients, userID: "walter-account")
            #expect(AccessRules.decide(owner, action, Self.walter).allowed, "\(action)")
        }
        #expect(
            AccessRules.decide(Self.daughter, .update, Self.walterRequest).reason
                == "a patient account acts for a person it schedules for")
    }

    @Test("an account not linked to the person is refused; nobody dispatches or manages")
    func refused() {
        let stranger = Actor(tenant: .patients, userID: "stranger-account")
        for action in [Action.read, .schedule, .update] {
            let verdict = AccessRules.decide(stranger, action, Self.walterRequest)
            #expect(!verdict.allowed && verdict.reason == "patient accounts act only for the people linked to them")
        }
        for action in [Action.dispatch, .manage] {
            #expect(!AccessRules.decide(Self.daughter, action, Self.walterRequest).allowed)
        }
        // A partner's record stays the partner's, whoever claims to manage it.
        var partners = Self.walterRequest
        partners.partnerID = PartnerID(rawValue: UUID())
        #expect(!AccessRules.decide(Self.daughter, .read, partners).allowed)
        // An empty account id matches nothing.
        #expect(!AccessRules.decide(Actor(tenant: .patients, userID: ""), .read, Self.walterRequest).allowed)
    }

    @Test("the API reads managing_accounts")
    func overTheAPI() async throws {
        try await PolicyAPITests.with { app, issuer in
            let token = try await issuer.token(audience: "policy", scopes: ["policy.check"])
            for (account, allowed) in [("daughter-account", true), ("stranger-account", false)] {
                let response = try await PolicyAPITests.post(
                    app, "/v1/check", token: token,
                    #"{"principal":{"user_id":"\#(account)","tenant":"patients"},"action":"update","#
                        + #""resource":{"type":"care_request","id":"cr-1","managing_accounts":["daughter-account"]}}"#)
                #expect(response.status == .ok, "\(response.text)")
                #expect(response.object["allowed"] as? Bool == allowed, "\(account)")
                #expect(response.object["policy_version"] as? String == AccessRules.version)
            }
        }
    }
}
