import Foundation
import IdentityDomain
import JWTKit
import Platform

/// A backend client's public keys as Identity stores them: a JWKS document of RSA (≥ 2048 bits) and EC P-256 or
/// P-384 keys, each with a `kid` (the RFC 7638 thumbprint when the registrant gave none).
struct BackendClientKeySet: Sendable {
    /// Each key's public members, as strings.
    var keys: [[String: String]]

    var keyIDs: [String] { keys.compactMap { $0["kid"] } }

    /// The stored form.
    var json: String {
        let data = try? JSONSerialization.data(withJSONObject: ["keys": keys], options: [.sortedKeys])
        return data.flatMap { String(data: $0, encoding: .utf8) } ?? #"{"keys":[]}"#
    }

    /// Reads the stored form.
    init(stored: String) {
        let object = (try? JSONSerialization.jsonObject(with: Data(stored.utf8))) as? [String: Any]
        keys = (object?["keys"] as? [[String: Any]] ?? []).map { $0.compactMapValues { $0 as? String } }
    }

    /// What a registrant pasted: a JWKS document, one JWK, or one PEM public key.
    /// Throws a 422 problem on `public_key` saying what is wrong.
    init(registering text: String) throws {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("-----BEGIN") {
            guard !text.contains("PRIVATE KEY") else { throw Self.privateKey }
            keys = [try Self.jwk(pem: text)]
        } else if text.hasPrefix("{") {
            guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
                throw Self.invalid("This is not valid JSON: paste a JWKS document or a PEM public key.")
            }
            let members: [Any] = object["keys"] as? [Any] ?? (object["kty"] != nil ? [object] : [])
            guard !members.isEmpty else {
                throw Self.invalid("The JWKS holds no keys: a JWKS document is {\"keys\": [...]}.")
            }
            keys = try members.enumerated().map { index, member in
                guard let jwk = member as? [String: Any] else { throw Self.invalid("Key \(index + 1) is not a JWK.") }
                return try Self.publicJWK(jwk, number: index + 1)
            }
        } else {
            throw Self.invalid("Paste a PEM public key (-----BEGIN PUBLIC KEY-----) or a JWKS document.")
        }
        let ids = keyIDs
        guard Set(ids).count == ids.count else { throw Self.invalid("Two keys have the same kid.") }
    }

    static let privateKey = invalid(
        "This is a private key: paste the PUBLIC key only. The private key never leaves your system; Identity needs "
            + "only the public half to check your signatures.")

    static func invalid(_ message: String) -> Problem {
        // The message is a whole sentence, also the problem's detail, which Express shows beside the field.
        Problem.validation([.init(field: "public_key", message: message)], detail: message)
    }

    /// A registered JWK's public members, checked by making the key.
    static func publicJWK(_ jwk: [String: Any], number: Int) throws -> [String: String] {
        guard !ClientAssertionKeys.isPrivate(jwk) else { throw privateKey }
        let strings = jwk.compactMapValues { $0 as? String }
        if let use = strings["use"], use != "sig" { throw invalid("Key \(number) is not a signing key (use \(use)).") }
        if let alg = strings["alg"], !ClientAssertionKeys.algorithms.contains(alg) {
            throw invalid(
                "Key \(number) is for \(alg): use one of \(ClientAssertionKeys.algorithms.joined(separator: ", ")).")
        }
        var key: [String: String]
        switch strings["kty"] {
        case "RSA":
            guard let n = strings["n"], let e = strings["e"] else { throw invalid("Key \(number) lacks n or e.") }
            guard Self.bits(ofModulus: n) >= 2048 else {
                throw invalid("Key \(number) is an RSA key of fewer than 2048 bits: use 2048 or more.")
            }
            guard (try? Insecure.RSA.PublicKey(modulus: n, exponent: e)) != nil else {
                throw invalid("Key \(number) is not a valid RSA public key.")
            }
            key = ["kty": "RSA", "n": n, "e": e]
        case "EC":
            guard let crv = strings["crv"], let x = strings["x"], let y = strings["y"] else {
                throw invalid("Key \(number) lacks crv, x or y.")
            }
            switch crv {
            case "P-256": guard (try? ES256PublicKey(parameters: (x, y))) != nil else { throw badPoint(number) }
            case "P-384": guard (try? ES384PublicKey(parameters: (x, y))) != nil else { throw badPoint(number) }
            default: throw invalid("Key \(number) uses the curve \(crv): use P-256 or P-384.")
            }
            key = ["kty": "EC", "crv": crv, "x": x, "y": y]
        default:
            throw invalid("Key \(number) is of type \(strings["kty"] ?? "none"): use an RSA or EC key.")
        }
        key["kid"] = strings["kid"].flatMap { $0.isEmpty ? nil : $0 } ?? ClientAssertionKeys.thumbprint(key)
        if let alg = strings["alg"] { key["alg"] = alg }
        key["use"] = "sig"
        return key
    }

    static func badPoint(_ number: Int) -> Problem { invalid("Key \(number) is not a valid EC public key.") }

    /// One PEM public key (`BEGIN PUBLIC KEY`, or `BEGIN RSA PUBLIC KEY`) as a JWK.
    static func jwk(pem: String) throws -> [String: String] {
        // jwt-kit refuses an RSA key of fewer than 2048 bits here, as it should.
        if let rsa = try? Insecure.RSA.PublicKey(pem: pem), let primitives = try? rsa.getKeyPrimitives() {
            let n = Secrets.base64URL(primitives.modulus)
            return try publicJWK(["kty": "RSA", "n": n, "e": Secrets.base64URL(primitives.publicExponent)], number: 1)
        }
        if let ec = try? ES256PublicKey(pem: pem), let point = ec.parameters {
            return try publicJWK(["kty": "EC", "crv": "P-256", "x": point.x, "y": point.y], number: 1)
        }
        if let ec = try? ES384PublicKey(pem: pem), let point = ec.parameters {
            return try publicJWK(["kty": "EC", "crv": "P-384", "x": point.x, "y": point.y], number: 1)
        }
        throw invalid("This is not an RSA (2048 bits or more) or EC (P-256, P-384) public key in PEM form.")
    }

    /// The size of an RSA modulus given as base64url (big-endian, leading zeros ignored).
    static func bits(ofModulus n: String) -> Int {
        guard let bytes = Secrets.base64URLDecoded(n)?.drop(while: { $0 == 0 }), let first = bytes.first else {
            return 0
        }
        return (bytes.count - 1) * 8 + (8 - first.leadingZeroBitCount)
    }
}
