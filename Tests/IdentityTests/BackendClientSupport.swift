import CryptoExtras
import Foundation
import JWTKit
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Identity

/// An EHR's key pair, made in the test as an EHR makes its own, and the assertions it signs.
struct EHRKey: Sendable {
    enum Kind: Sendable {
        case rsa(JWTKit.Insecure.RSA.PrivateKey)
        case ec384(ES384PrivateKey)
        case ec256(ES256PrivateKey)
    }
    var kind: Kind

    static func rsa() throws -> EHRKey {
        EHRKey(kind: .rsa(try JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))))
    }
    /// A PEM public RSA key too small to trust (jwt-kit will not even hold one).
    static func smallRSAPublicPEM() throws -> String {
        try _RSA.Signing.PrivateKey(unsafeKeySize: .init(bitCount: 1024)).publicKey.pemRepresentation
    }
    static func ec384() -> EHRKey { EHRKey(kind: .ec384(ES384PrivateKey())) }
    static func ec256() -> EHRKey { EHRKey(kind: .ec256(ES256PrivateKey())) }

    var publicPEM: String {
        switch kind {
        case .rsa(let key): key.publicKey.pemRepresentation
        case .ec384(let key): key.publicKey.pemRepresentation
        case .ec256(let key): key.publicKey.pemRepresentation
        }
    }

    var privatePEM: String {
        switch kind {
        case .rsa(let key): key.pemRepresentation
        case .ec384(let key): key.pemRepresentation
        case .ec256(let key): key.pemRepresentation
        }
    }

    /// The public key as a JWK (a JSON object), with `kid` when given.
    func publicJWK(kid: String? = nil) throws -> [String: String] {
        var jwk: [String: String]
        switch kind {
        case .rsa(let key):
            let primitives = try key.publicKey.getKeyPrimitives()
            jwk = [
                "kty": "RSA", "n": Secrets.base64URL(primitives.modulus),
                "e": Secrets.base64URL(primitives.publicExponent),
            ]
        case .ec384(let key):
            jwk = ["kty": "EC", "crv": "P-384", "x": key.parameters!.x, "y": key.parameters!.y]
        case .ec256(let key):
            jwk = ["kty": "EC", "crv": "P-256", "x": key.parameters!.x, "y": key.parameters!.y]
        }
        if let kid { jwk["kid"] = kid }
        return jwk
    }

    struct Claims: JWTPayload {
        var iss: String?
        var sub: String?
        var aud: String?
        var exp: Int?
        var iat: Int?
        var jti: String?
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// An assertion for `clientID`: by default for the express token endpoint, 4 minutes, a fresh jti, the
    /// algorithm that fits the key (RS384 for RSA), and `kid` in the header when given.
    func assertion(
        clientID: String, now: Date, aud: String = "http://localhost:8083/express/token", lifetime: Int = 240,
        jti: String = UUID().uuidString, kid: String? = nil, rsaDigest: DigestAlgorithm = .sha384,
        claims edit: (inout Claims) -> Void = { _ in }
    ) async throws -> String {
        let seconds = Int(now.timeIntervalSince1970)
        var claims = Claims(iss: clientID, sub: clientID, aud: aud, exp: seconds + lifetime, iat: seconds, jti: jti)
        edit(&claims)
        let collection = JWTKeyCollection()
        // Without a kid the key is the collection's default and the header names none.
        let keyID = kid.map { JWKIdentifier(string: $0) }
        switch kind {
        case .rsa(let key): await collection.add(rsa: key, digestAlgorithm: rsaDigest, kid: keyID)
        case .ec384(let key): await collection.add(ecdsa: key, kid: keyID)
        case .ec256(let key): await collection.add(ecdsa: key, kid: keyID)
        }
        return try await collection.sign(claims, kid: keyID)
    }
}

extension IdentityHarness {
    static let tokenURL = "http://localhost:8083/express/token"
    static let mercy = "3e2c0000-0000-4000-8000-0000000000aa"
    static let sunrise = "5a7e0000-0000-4000-8000-000000000001"

    /// Express's machine token for the backend-client operations.
    func clientsToken() async throws -> String {
        let response = try await token(
            "staff",
            form: ["grant_type": "client_credentials", "audience": "identity", "scope": "identity.clients.write"],
            basic: ("express-m2m", secrets["express-m2m"]!))
        return try #require(response.object["access_token"] as? String, "\(response.text)")
    }

    func registerBackendClient(
        publicKey: String, partner: String = mercy, name: String = "Epic production", token: String
    ) async throws -> TestingHTTPResponse {
        try await management(
            .POST, "/express/management/backend-clients",
            json: ["partner_id": partner, "name": name, "public_key": publicKey, "registered_by": "u-admin"],
            token: token)
    }

    /// Registers `key` (as PEM) for Mercy; returns the client id and its key id.
    func registeredClient(_ key: EHRKey, partner: String = mercy) async throws -> (id: String, kid: String) {
        let response = try await registerBackendClient(
            publicKey: key.publicPEM, partner: partner, token: clientsToken())
        #expect(response.status == .created, "\(response.text)")
        return (
            try #require(response.object["client_id"] as? String),
            try #require((response.object["key_ids"] as? [String])?.first)
        )
    }

    /// A client-credentials request authenticated by `assertion`.
    func backendToken(_ assertion: String, form extra: [String: String] = [:], tenant: String = "express")
        async throws -> TestingHTTPResponse
    {
        var form = [
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion,
        ]
        for (name, value) in extra { form[name] = value }
        return try await token(tenant, form: form)
    }
}
