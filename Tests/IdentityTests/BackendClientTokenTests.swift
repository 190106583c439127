import Fluent
import Foundation
import IdentityDomain
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Identity

/// SMART Backend Services at the token endpoint: a backend client authenticates with a JWT signed by its key
/// (RFC 7523 private_key_jwt) and gets a 300-second token for Station, bound to its partner.
@Suite("Backend clients: private_key_jwt and client_credentials")
struct BackendClientTokenTests {
    typealias Harness = IdentityHarness

    /// The `error` and `error_description` of a refused token request, after checking it is 401 invalid_client.
    static func refusal(_ response: TestingHTTPResponse, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        #expect(response.status == .unauthorized, "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.object["error"] as? String == "invalid_client", sourceLocation: sourceLocation)
        #expect(response.object["access_token"] == nil, sourceLocation: sourceLocation)
        return response.object["error_description"] as? String ?? ""
    }

    @Test("an RS384 assertion gets a Station token with the partner, the SMART scopes and 300 seconds")
    func happyPath() async throws {
        try await Harness.with { idp in
            let key = try EHRKey.rsa()
            let client = try await idp.registeredClient(key)
            let assertion = try await key.assertion(clientID: client.id, now: idp.clock.now, kid: client.kid)
            let response = try await idp.backendToken(assertion, form: ["scope": "system/*.read"])
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.object["expires_in"] as? Int == 300)
            #expect(response.object["scope"] as? String == "system/*.read")
            #expect(response.object["token_type"] as? String == "Bearer")
            let claims = try await idp.verifier("express", audience: "station").verify(
                try #require(response.object["access_token"] as? String))
            #expect(claims.partnerID == Harness.mercy)
            #expect(claims.sub.value == client.id && claims.clientID == client.id)
            #expect(claims.scopes == ["system/*.read"])
            #expect(claims.userID == nil)

            let listed = try await idp.management(
                .GET, "/express/management/backend-clients?partner_id=\(Harness.mercy)", token: idp.clientsToken())
            let entry = try #require((listed.object["clients"] as? [[String: Any]])?.first)
            #expect(entry["last_used_at"] as? String != nil, "last use is recorded")
        }
    }

    @Test("the token's lifetime is 300 seconds, its audience station")
    func tokenShape() async throws {
        try await Harness.with { idp in
            let key = EHRKey.ec384()
            let client = try await idp.registeredClient(key)
            let response = try await idp.backendToken(
                try await key.assertion(clientID: client.id, now: idp.clock.now, kid: client.kid))
            let token = try #require(response.object["access_token"] as? String, "\(response.text)")
            let payload = try #require(
                Secrets.base64URLDecoded(token.split(separator: ".")[1]).flatMap {
                    try JSONSerialization.jsonObject(with: $0) as? [String: Any]
                })
            let exp = try #require(payload["exp"] as? Int)
            let iat = try #require(payload["iat"] as? Int)
            #expect(exp - iat == 300)
            #expect(payload["aud"] as? [String] == ["station"] || payload["aud"] as? String == "station")
            #expect(payload["iss"] as? String == "http://localhost:8083/express")
            #expect(response.object["scope"] as? String == "system/*.read", "no scope asked: every allowed one")
        }
    }

    @Test("RS256, ES256 and an assertion without kid (one key) are accepted; the issuer is accepted as aud")
    func otherAlgorithms() async throws {
        try await Harness.with { idp in
            let rsa = try EHRKey.rsa()
            let rsaClient = try await idp.registeredClient(rsa)
            let rs256 = try await rsa.assertion(
                clientID: rsaClient.id, now: idp.clock.now, kid: rsaClient.kid, rsaDigest: .sha256)
            #expect(try await idp.backendToken(rs256).status == .ok)
            let noKID = try await rsa.assertion(
                clientID: rsaClient.id, now: idp.clock.now, aud: "http://localhost:8083/express")
            #expect(try await idp.backendToken(noKID).status == .ok)
            let ec = EHRKey.ec256()
            let ecClient = try await idp.registeredClient(ec)
            let es256 = try await ec.assertion(clientID: ecClient.id, now: idp.clock.now, kid: ecClient.kid)
            #expect(try await idp.backendToken(es256, form: ["client_id": ecClient.id]).status == .ok)
        }
    }

    @Test("a wrong aud, an expired or too long-lived assertion, and wrong iss are refused, each saying why")
    func claimRefusals() async throws {
        try await Harness.with { idp in
            let key = try EHRKey.rsa()
            let client = try await idp.registeredClient(key)
            let now = idp.clock.now
            func sign(
                aud: String = Harness.tokenURL, lifetime: Int = 240, edit: (inout EHRKey.Claims) -> Void = { _ in }
            )
                async throws -> String
            {
                try await key.assertion(
                    clientID: client.id, now: now, aud: aud, lifetime: lifetime, kid: client.kid, claims: edit)
            }
            let wrongAud = try await sign(aud: "http://localhost:8083/staff/token")
            #expect(Self.refusal(try await idp.backendToken(wrongAud)).contains("aud"))
            let expired = try await sign(lifetime: -10)
            #expect(Self.refusal(try await idp.backendToken(expired)).contains("expired"))
            let tooLong = try await sign(lifetime: 3600)
            #expect(Self.refusal(try await idp.backendToken(tooLong)).contains("5 minutes"))
            let wrongIssuer = try await sign { $0.iss = "ehr-someone-else" }
            #expect(Self.refusal(try await idp.backendToken(wrongIssuer)).contains("iss"))
            let noJTI = try await sign { $0.jti = nil }
            #expect(Self.refusal(try await idp.backendToken(noJTI)).contains("jti"))
            let mismatch = try await sign()
            #expect(
                Self.refusal(try await idp.backendToken(mismatch, form: ["client_id": "ehr-other"])).contains(
                    "client_id"))
        }
    }

    @Test("a replayed assertion (same jti) is refused; a new jti works")
    func replay() async throws {
        try await Harness.with { idp in
            let key = try EHRKey.rsa()
            let client = try await idp.registeredClient(key)
            let assertion = try await key.assertion(clientID: client.id, now: idp.clock.now, kid: client.kid)
            #expect(try await idp.backendToken(assertion).status == .ok)
            #expect(Self.refusal(try await idp.backendToken(assertion)).contains("jti"))
            let fresh = try await key.assertion(clientID: client.id, now: idp.clock.now, kid: client.kid)
            #expect(try await idp.backendToken(fresh).status == .ok)
        }
    }

    @Test("an unknown kid, another key, a wrong or unsigned alg are refused")
    func keyRefusals() async throws {
        try await Harness.with { idp in
            let key = try EHRKey.rsa()
            let client = try await idp.registeredClient(key)
            let now = idp.clock.now
            let unknownKID = try await key.assertion(clientID: client.id, now: now, kid: "not-registered")
            #expect(Self.refusal(try await idp.backendToken(unknownKID)).contains("kid"))
            let otherKey = try await EHRKey.rsa().assertion(clientID: client.id, now: now, kid: client.kid)
            #expect(Self.refusal(try await idp.backendToken(otherKey)).contains("signature"))
            let wrongType = try await EHRKey.ec384().assertion(clientID: client.id, now: now, kid: client.kid)
            #expect(Self.refusal(try await idp.backendToken(wrongType)).contains("ES384"))
            let signed = try await key.assertion(clientID: client.id, now: now, kid: client.kid)
            let parts = signed.split(separator: ".")
            let none = Secrets.base64URL(Data(#"{"alg":"none","kid":"\#(client.kid)"}"#.utf8)) + ".\(parts[1])."
            #expect(Self.refusal(try await idp.backendToken(none)).contains("none"))
            let hs256 = Secrets.base64URL(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8)) + ".\(parts[1]).\(parts[2])"
            #expect(Self.refusal(try await idp.backendToken(hs256)).contains("HS256"))
        }
    }

    @Test("a backend client cannot use a secret, and a secret client cannot use an assertion")
    func methodsDoNotMix() async throws {
        try await Harness.with { idp in
            let key = try EHRKey.rsa()
            let client = try await idp.registeredClient(key)
            let bySecret = try await idp.token(
                "express", form: ["grant_type": "client_credentials"], basic: (client.id, "guess"))
            #expect(Self.refusal(bySecret).contains("signed JWT"))
            let secretClient = try await key.assertion(clientID: "express-web", now: idp.clock.now)
            #expect(Self.refusal(try await idp.backendToken(secretClient)).contains("secret"))
            let wrongType = try await idp.token(
                "express",
                form: [
                    "grant_type": "client_credentials", "client_assertion_type": "urn:example:other",
                    "client_assertion": try await key.assertion(clientID: client.id, now: idp.clock.now),
                ])
            #expect(Self.refusal(wrongType).contains("client_assertion_type"))
        }
    }

    @Test("scopes beyond system/*.read, and audiences other than station, are refused")
    func scopeAndAudience() async throws {
        try await Harness.with { idp in
            let key = try EHRKey.rsa()
            let client = try await idp.registeredClient(key)
            func ask(_ form: [String: String]) async throws -> TestingHTTPResponse {
                try await idp.backendToken(
                    try await key.assertion(clientID: client.id, now: idp.clock.now, kid: client.kid), form: form)
            }
            let write = try await ask(["scope": "system/*.write"])
            #expect(write.status == .badRequest)
            #expect(write.object["error"] as? String == "invalid_scope")
            #expect((write.object["error_description"] as? String ?? "").contains("system/*.write"))
            let user = try await ask(["scope": "system/Patient.rs user/Patient.read"])
            #expect(user.object["error"] as? String == "invalid_scope")
            let narrow = try await ask(["scope": "system/Patient.rs system/ServiceRequest.read"])
            #expect(narrow.status == .ok, "\(narrow.text)")
            #expect(narrow.object["scope"] as? String == "system/Patient.rs system/ServiceRequest.read")
            let other = try await ask(["audience": "identity"])
            #expect(other.status == .badRequest)
            #expect(other.object["error"] as? String == "invalid_target")
            #expect(try await ask(["resource": "station"]).status == .ok)
        }
    }

    @Test("discovery names private_key_jwt and the signing algorithms")
    func discovery() async throws {
        try await Harness.with { idp in
            let response = try await idp.app.testing().sendRequest(.GET, "/express/.well-known/openid-configuration")
            let methods = response.object["token_endpoint_auth_methods_supported"] as? [String]
            #expect(methods == ["client_secret_basic", "client_secret_post", "private_key_jwt"])
            #expect(
                response.object["token_endpoint_auth_signing_alg_values_supported"] as? [String]
                    == ["RS384", "ES384", "RS256", "ES256"])
        }
    }
}
