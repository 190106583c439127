import Foundation
import TestSupport
import Testing
import Vapor

@testable import Policy

/// The exact problem+json a caller of Policy's API sees for its errors: a change is a visible diff in
/// `Resources/Snapshots` (re-record with `SNAPSHOT_RECORD=1`).
@Suite("Policy's problem payloads")
struct ProblemSnapshotTests {
    @Test("400 malformed check, 401 no token, 403 wrong scope, 422 a partner id that is not one")
    func problems() async throws {
        try await PolicyAPITests.with { app, issuer in
            let token = try await issuer.token(audience: "policy", scopes: ["policy.check"])
            let unknownAction = #"{"principal":{"tenant":"express"},"action":"fly","resource":{"type":"patient"}}"#
            expectSnapshot(
                try await PolicyAPITests.post(app, "/v1/check", token: token, unknownAction),
                named: "400-unknown-action.json")
            expectSnapshot(
                try await PolicyAPITests.post(app, "/v1/check", token: token, "{"), named: "400-malformed-json.json")
            expectSnapshot(
                try await PolicyAPITests.post(app, "/v1/check", token: nil, "{}"), named: "401-missing-token.json")
            let noScope = try await issuer.token(audience: "policy", scopes: ["station.dispatch"])
            expectSnapshot(
                try await PolicyAPITests.post(app, "/v1/check", token: noScope, "{}"), named: "403-wrong-scope.json")
            let badPartner =
                #"{"principal":{"tenant":"express","partner_id":"x"},"action":"read","resource":{"type":"patient"}}"#
            expectSnapshot(
                try await PolicyAPITests.post(app, "/v1/check", token: token, badPartner), named: "422-partner-id.json")
        }
    }
}
