import Crypto
import Foundation

/// Proof Key for Code Exchange (RFC 7636), S256 only.
package enum PKCE {
    /// The lengths RFC 7636 §4.1 allows a code verifier.
    package static let verifierLengths = 43...128

    /// Whether `verifier` has an allowed length and hashes to `challenge`.
    package static func verify(verifier: String, challenge: String) -> Bool {
        guard verifierLengths.contains(verifier.count) else { return false }
        return challenge == self.challenge(for: verifier)
    }

    /// The S256 challenge of `verifier` (RFC 7636 §4.2): base64url of its SHA-256.
    package static func challenge(for verifier: String) -> String {
        base64URL(Array(SHA256.hash(data: Data(verifier.utf8))))
    }

    /// A fresh random verifier of 64 characters.
    package static func makeVerifier() -> String { randomToken(bytes: 48) }

    /// A URL-safe random token of `bytes` random bytes.
    package static func randomToken(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        return base64URL((0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// Base64url without padding (RFC 4648 §5). The domain cannot reach Platform's `Secrets`, so it keeps this one
    /// line of its own.
    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
