// swift-format-ignore-file: AlwaysUseLowerCamelCase
// (JWT wire names.)

import Foundation
import IdentityDomain
import JWTKit
import Platform

/// Checks a client assertion's signature against the client's registered keys (RFC 7523 §3, SMART Backend
/// Services): the header's `alg` must be one we accept and fit the key its `kid` names (or the only key).
/// The claims are returned for ``ClientAssertionRules``; nothing here trusts them before the signature verifies.
enum ClientAssertionVerifier {
    struct Refusal: Error { var description: String }

    struct Header: Decodable {
        var alg: String?
        var kid: String?
    }

    struct Payload: JWTPayload {
        var iss: String?
        var sub: String?
        var aud: AudienceClaim?
        var exp: Double?
        var iat: Double?
        var nbf: Double?
        var jti: String?

        // The claims are checked by ClientAssertionRules, with Identity's clock.
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    static func verify(_ assertion: String, keys: BackendClientKeySet) async throws -> ClientAssertionClaims {
        let parts = assertion.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Secrets.base64URLDecoded(parts[0]),
            let header = try? JSONDecoder().decode(Header.self, from: headerData)
        else { throw Refusal(description: "The client_assertion is not a signed JWT.") }
        guard let alg = header.alg, let needed = ClientAssertionKeys.keyType(for: alg) else {
            throw Refusal(
                description: "The assertion's alg \(header.alg ?? "(none)") is not accepted: sign with "
                    + ClientAssertionKeys.algorithms.joined(separator: ", ") + ".")
        }
        let key: [String: String]
        if let kid = header.kid {
            guard let found = keys.keys.first(where: { $0["kid"] == kid }) else {
                throw Refusal(description: "The assertion's kid \(kid) names no key registered for this client.")
            }
            key = found
        } else {
            guard keys.keys.count == 1, let only = keys.keys.first else {
                throw Refusal(description: "The assertion has no kid and the client has several keys: name one.")
            }
            key = only
        }
        let kid = JWKIdentifier(string: key["kid"] ?? "key")
        guard key["kty"] == needed.kty, needed.crv == nil || key["crv"] == needed.crv,
            key["alg"] == nil || key["alg"] == alg
        else {
            throw Refusal(description: "The assertion's alg \(alg) does not fit the key \(kid.string).")
        }
        let collection = JWTKeyCollection()
        do {
            switch alg {
            case "RS256", "RS384":
                let rsa = try Insecure.RSA.PublicKey(modulus: key["n"] ?? "", exponent: key["e"] ?? "")
                await collection.add(rsa: rsa, digestAlgorithm: alg == "RS256" ? .sha256 : .sha384, kid: kid)
            case "ES256":
                await collection.add(ecdsa: try ES256PublicKey(parameters: (key["x"] ?? "", key["y"] ?? "")), kid: kid)
            default:
                await collection.add(ecdsa: try ES384PublicKey(parameters: (key["x"] ?? "", key["y"] ?? "")), kid: kid)
            }
        } catch {
            throw Refusal(description: "The key \(kid.string) registered for this client cannot be used.")
        }
        let payload: Payload
        do {
            payload = try await collection.verify(assertion, as: Payload.self)
        } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
            throw Refusal(description: "The assertion's signature does not verify with the key \(kid.string).")
        } catch {
            throw Refusal(description: "The assertion's signature does not verify or its claims cannot be read.")
        }
        return ClientAssertionClaims(
            issuer: payload.iss, subject: payload.sub, audience: payload.aud?.value ?? [],
            expiresAt: payload.exp.map(Date.init(timeIntervalSince1970:)),
            issuedAt: payload.iat.map(Date.init(timeIntervalSince1970:)),
            notBefore: payload.nbf.map(Date.init(timeIntervalSince1970:)), jwtID: payload.jti)
    }
}
