import Foundation
import Secrets

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
    package static func challenge(for verifier: String) -> String { Secrets.pkceChallenge(for: verifier) }

    /// A fresh random verifier of 64 characters.
    package static func makeVerifier() -> String { Secrets.randomToken(bytes: 48) }
}
