import Foundation
import IdentityDomain
import JWTKit
import Platform
import TestSupport
import Testing
import Vapor

@testable import Identity

/// The management API's backend-client operations, as Express's EHR connections page calls them.
@Suite("Backend clients: register, list, remove")
struct BackendClientManagementTests {
    typealias Harness = IdentityHarness

    @Test("every operation needs a token with identity.clients.write")
    func scopeRequired() async throws {
        try await Harness.with { idp in
            let accountsOnly = try await idp.managementToken()
            let calls: [(HTTPMethod, String, [String: Any]?)] = [
                (
                    .POST, "/express/management/backend-clients",
                    ["partner_id": Harness.mercy, "name": "EHR", "public_key": try EHRKey.rsa().publicPEM]
                ),
                (.GET, "/express/management/backend-clients?partner_id=\(Harness.mercy)", nil),
                (.DELETE, "/express/management/backend-clients/ehr-x?partner_id=\(Harness.mercy)", nil),
            ]
            for (method, path, json) in calls {
                #expect(try await idp.management(method, path, json: json, token: nil).status == .unauthorized)
                let refused = try await idp.management(method, path, json: json, token: accountsOnly)
                #expect(refused.status == .forbidden, "\(path)")
            }
        }
    }

    @Test("a PEM public key registers a client of the partner with a thumbprint kid, system/*.read and the token URL")
    func registerPEM() async throws {
        try await Harness.with { idp in
            let key = try EHRKey.rsa()
            let response = try await idp.registerBackendClient(publicKey: key.publicPEM, token: idp.clientsToken())
            #expect(response.status == .created, "\(response.text)")
            let id = try #require(response.object["client_id"] as? String)
            #expect(id.hasPrefix("ehr-") && id.count > 12)
            #expect(response.object["partner_id"] as? String == Harness.mercy)
            #expect(response.object["name"] as? String == "Epic production")
            #expect(response.object["scopes"] as? [String] == ["system/*.read"])
            #expect(response.object["token_url"] as? String == Harness.tokenURL)
            #expect(
                response.object["key_ids"] as? [String] == [
                    try #require(ClientAssertionKeys.thumbprint(key.publicJWK()))
                ])
            #expect(response.object["created_at"] as? String != nil)
            #expect(response.object["last_used_at"] == nil)
            let stored = try #require(try await ClientModel.find(id, on: idp.app.db))
            #expect(stored.registeredBy == "u-admin")
            #expect(stored.tenant == "express")
        }
    }

    @Test("a JWKS keeps the kids it gives and gets thumbprints for keys without")
    func registerJWKS() async throws {
        try await Harness.with { idp in
            let ec = EHRKey.ec384()
            let rsa = try EHRKey.rsa()
            let jwks = try JSONSerialization.data(
                withJSONObject: ["keys": [try ec.publicJWK(kid: "ehr-2026"), try rsa.publicJWK()]])
            let response = try await idp.registerBackendClient(
                publicKey: String(decoding: jwks, as: UTF8.self), token: idp.clientsToken())
            #expect(response.status == .created, "\(response.text)")
            let kids = try #require(response.object["key_ids"] as? [String])
            #expect(kids == ["ehr-2026", try #require(ClientAssertionKeys.thumbprint(rsa.publicJWK()))])
            let id = try #require(response.object["client_id"] as? String)
            let assertion = try await ec.assertion(clientID: id, now: idp.clock.now, kid: "ehr-2026")
            #expect(try await idp.backendToken(assertion).status == .ok)
        }
    }

    @Test(
        "private key material is refused with a message on public_key",
        arguments: ["pem", "jwk-d", "jwk-rsa-primes", "ec-pem"])
    func privateKeyRefused(form: String) async throws {
        try await Harness.with { idp in
            let rsa = try EHRKey.rsa()
            var jwk = try rsa.publicJWK()
            let text: String
            switch form {
            case "pem": text = rsa.privatePEM
            case "ec-pem": text = EHRKey.ec384().privatePEM
            case "jwk-d":
                jwk["d"] = "c2VjcmV0"
                text = String(decoding: try JSONSerialization.data(withJSONObject: ["keys": [jwk]]), as: UTF8.self)
            default:
                jwk["p"] = "c2VjcmV0"
                jwk["q"] = "c2VjcmV0"
                text = String(decoding: try JSONSerialization.data(withJSONObject: jwk), as: UTF8.self)
            }
            let response = try await idp.registerBackendClient(publicKey: text, token: idp.clientsToken())
            #expect(response.status == .unprocessableEntity, "\(response.text)")
            #expect(response.isProblem)
            let error = try #require((response.object["errors"] as? [[String: String]])?.first)
            #expect(error["field"] == "public_key")
            #expect(error["message"]?.hasPrefix("This is a private key: paste the PUBLIC key only") == true)
            #expect(response.object["detail"] as? String == error["message"], "Express shows the detail")
            #expect(try await ClientModel.query(on: idp.app.db).all().allSatisfy { $0.jwks == nil })
        }
    }

    @Test(
        "keys we cannot use are refused on public_key: small RSA, P-521, not a key, no keys",
        arguments: ["rsa-1024", "p-521", "garbage", "empty-jwks", "oct"])
    func unusableKeysRefused(kind: String) async throws {
        try await Harness.with { idp in
            let text: String
            switch kind {
            case "rsa-1024": text = try EHRKey.smallRSAPublicPEM()
            case "p-521":
                let point = ES512PrivateKey().parameters!
                let jwk = ["kty": "EC", "crv": "P-521", "x": point.x, "y": point.y]
                text = String(decoding: try JSONSerialization.data(withJSONObject: ["keys": [jwk]]), as: UTF8.self)
            case "garbage": text = "ssh-rsa AAAAB3NzaC1yc2E"
            case "empty-jwks": text = #"{"keys": []}"#
            default: text = #"{"keys": [{"kty": "oct", "kid": "x"}]}"#
            }
            let response = try await idp.registerBackendClient(publicKey: text, token: idp.clientsToken())
            #expect(response.status == .unprocessableEntity, "\(response.text)")
            #expect(response.problemFields == ["public_key"])
        }
    }

    @Test("a partner id that is not a UUID, and an empty name, are refused")
    func fieldsChecked() async throws {
        try await Harness.with { idp in
            let response = try await idp.registerBackendClient(
                publicKey: try EHRKey.rsa().publicPEM, partner: "mercy", name: " ", token: idp.clientsToken())
            #expect(response.status == .unprocessableEntity)
            #expect(Set(response.problemFields) == ["partner_id", "name"])
        }
    }

    @Test("list shows a partner's clients newest first and never another partner's; remove is 404 for another partner")
    func listAndRemove() async throws {
        try await Harness.with { idp in
            let token = try await idp.clientsToken()
            let key = try EHRKey.rsa()
            let first = try await idp.registeredClient(key)
            idp.clock.advance(60)
            let second = try await idp.registeredClient(EHRKey.ec384())
            let sunrises = try await idp.registeredClient(EHRKey.ec256(), partner: Harness.sunrise)
            let mercy = try await idp.management(
                .GET, "/express/management/backend-clients?partner_id=\(Harness.mercy)", token: token)
            #expect(mercy.status == .ok)
            let ids = (mercy.object["clients"] as? [[String: Any]] ?? []).compactMap { $0["client_id"] as? String }
            #expect(ids == [second.id, first.id])

            let crossPartner = try await idp.management(
                .DELETE, "/express/management/backend-clients/\(sunrises.id)?partner_id=\(Harness.mercy)", token: token)
            #expect(crossPartner.status == .notFound)
            let notBackend = try await idp.management(
                .DELETE, "/express/management/backend-clients/express-web?partner_id=\(Harness.mercy)", token: token)
            #expect(notBackend.status == .notFound)
            #expect(try await ClientModel.find("express-web", on: idp.app.db) != nil)

            let removed = try await idp.management(
                .DELETE, "/express/management/backend-clients/\(first.id)?partner_id=\(Harness.mercy)", token: token)
            #expect(removed.status == .noContent)
            let after = try await idp.management(
                .GET, "/express/management/backend-clients?partner_id=\(Harness.mercy)", token: token)
            #expect((after.object["clients"] as? [[String: Any]])?.count == 1)
            let assertion = try await key.assertion(clientID: first.id, now: idp.clock.now, kid: first.kid)
            let refused = try await idp.backendToken(assertion)
            #expect(refused.status == .unauthorized)
            #expect(refused.object["error"] as? String == "invalid_client")
        }
    }
}
