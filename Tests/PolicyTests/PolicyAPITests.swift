import Foundation
import Platform
import PolicyDomain
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Policy

@Suite("Policy API")
struct PolicyAPITests {
    static func with(_ body: (Application, TestIssuer) async throws -> Void) async throws {
        let app = try await Application.make(.testing)
        let issuer = TestIssuer()
        do {
            try PolicyApp.configure(
                app, config: PolicyConfig(trustedIssuers: [issuer.issuer]), keySource: issuer.keySource)
            try await body(app, issuer)
        } catch {
            try await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    static func post(_ app: Application, _ path: String, token: String?, _ json: String) async throws
        -> TestingHTTPResponse
    {
        var headers = HTTPHeaders()
        headers.contentType = .json
        if let token { headers.bearerAuthorization = .init(token: token) }
        return try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: json))
    }

    static let sunrise = "5a7e0000-0000-4000-8000-000000000001"
    static let mercy = "5a7e0000-0000-4000-8000-000000000002"

    @Test("an operations admin may manage a partner and a market through the API; a dispatcher may not")
    func operationsAdmin() async throws {
        try await Self.with { app, issuer in
            let token = try await issuer.token(audience: "policy", scopes: ["policy.check"])
            for (role, kind, allowed) in [
                ("operations_admin", "partner", true), ("operations_admin", "market", true),
                ("dispatcher", "partner", false),
            ] {
                let response = try await Self.post(
                    app, "/v1/check", token: token,
                    #"{"principal":{"user_id":"s1","roles":["\#(role)"],"tenant":"staff"},"action":"manage","#
                        + #""resource":{"type":"\#(kind)"}}"#)
                #expect(response.status == .ok, "\(response.text)")
                #expect(response.object["allowed"] as? Bool == allowed, "\(role) \(kind)")
            }
        }
    }

    @Test("a check answers allowed or denied with a reason, a decision id and the policy version")
    func check() async throws {
        try await Self.with { app, issuer in
            let token = try await issuer.token(audience: "policy", scopes: ["policy.check"])
            let principal =
                #"{"user_id":"u1","partner_id":"\#(Self.sunrise)","roles":["scheduler"],"tenant":"express"}"#
            let allowed = try await Self.post(
                app, "/v1/check", token: token,
                """
                {"principal":\(principal),"action":"schedule","resource":{"type":"patient","id":"p1","partner_id":"\(Self.sunrise)"}}
                """)
            #expect(allowed.status == .ok)
            let decision = allowed.object
            #expect(decision["allowed"] as? Bool == true)
            #expect((decision["decision_id"] as? String)?.hasPrefix("dec_") == true)
            #expect(decision["policy_version"] as? String == AccessRules.version)

            let denied = try await Self.post(
                app, "/v1/check", token: token,
                """
                {"principal":\(principal),"action":"schedule","resource":{"type":"patient","id":"p2","partner_id":"\(Self.mercy)"}}
                """)
            let refusal = denied.object
            #expect(refusal["allowed"] as? Bool == false)
            #expect((refusal["reason"] as? String)?.contains("another partner") == true)
        }
    }

    @Test("a batch answers one decision per resource, in order")
    func batch() async throws {
        try await Self.with { app, issuer in
            let token = try await issuer.token(audience: "policy", scopes: ["policy.check"])
            let response = try await Self.post(
                app, "/v1/check/batch", token: token,
                """
                {"principal":{"user_id":"u1","partner_id":"\(Self.sunrise)","roles":["viewer"],"tenant":"express"},
                 "action":"read","resources":[{"type":"care_request","id":"a","partner_id":"\(Self.sunrise)"},
                 {"type":"care_request","id":"b","partner_id":"\(Self.mercy)"}]}
                """)
            #expect(response.status == .ok)
            let body = response.object
            let decisions = try #require(body["decisions"] as? [[String: Any]])
            #expect(decisions.map { $0["allowed"] as? Bool } == [true, false])
        }
    }

    @Test("malformed checks are problem+json 400s; no token 401; no scope 403")
    func badInput() async throws {
        try await Self.with { app, issuer in
            let token = try await issuer.token(audience: "policy", scopes: ["policy.check"])
            for body in [
                #"{"principal":{"tenant":"express"},"action":"fly","resource":{"type":"patient"}}"#,
                #"{"principal":{"tenant":"martians"},"action":"read","resource":{"type":"patient"}}"#,
                #"{"action":"read","resource":{"type":"patient"}}"#, "{",
            ] {
                let response = try await Self.post(app, "/v1/check", token: token, body)
                #expect(response.status == .badRequest, "\(body)")
                #expect(response.headers.first(name: .contentType) == "application/problem+json")
            }
            let badPartner = try await Self.post(
                app, "/v1/check", token: token,
                #"{"principal":{"tenant":"express","partner_id":"x"},"action":"read","resource":{"type":"patient"}}"#)
            #expect(badPartner.status == .unprocessableEntity)
            #expect(try await Self.post(app, "/v1/check", token: nil, "{}").status == .unauthorized)
            let noScope = try await issuer.token(audience: "policy", scopes: ["station.dispatch"])
            #expect(try await Self.post(app, "/v1/check", token: noScope, "{}").status == .forbidden)
        }
    }
}
