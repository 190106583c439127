import Crypto
import Foundation
import Vapor

/// Proof Key for Code Exchange (RFC 7636), S256 only.
package enum PKCE {
    /// Whether `verifier` hashes to `challenge`.
    package static func verify(verifier: String, challenge: String) -> Bool {
        guard (43...128).contains(verifier.count) else { return false }
        return challenge == base64URL(Data(SHA256.hash(data: Data(verifier.utf8))))
    }

    package static func challenge(for verifier: String) -> String {
        base64URL(Data(SHA256.hash(data: Data(verifier.utf8))))
    }

    /// A fresh random verifier of 64 characters.
    package static func makeVerifier() -> String { randomToken(bytes: 48) }

    package static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A URL-safe random token of `bytes` random bytes.
    package static func randomToken(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        return base64URL(Data((0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }))
    }

    /// The SHA-256 of a secret, hex: secrets and codes are stored only as this.
    package static func fingerprint(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).hex
    }
}
