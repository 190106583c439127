import Crypto
import Foundation
import Secrets

/// Rules about the public keys a backend client registers to sign its assertions with (JWK, RFC 7517).
package enum ClientAssertionKeys {
    /// The algorithms an assertion may be signed with, and the key each needs.
    package static let algorithms = ["RS384", "ES384", "RS256", "ES256"]

    /// JWK members that exist only in private (or symmetric) keys: RFC 7518 §6.2.2, §6.3.2, §6.4.
    package static let privateMembers: Set<String> = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"]

    /// Whether a JWK (as a JSON object) carries private key material.
    package static func isPrivate(_ jwk: [String: Any]) -> Bool {
        !privateMembers.isDisjoint(with: jwk.keys)
    }

    /// The RFC 7638 thumbprint of a public key's required members (base64url of their canonical JSON's
    /// SHA-256): RSA `e`, `kty`, `n`; EC `crv`, `kty`, `x`, `y`. Nil for another key type or a missing member.
    package static func thumbprint(_ jwk: [String: String]) -> String? {
        let required: [String]
        switch jwk["kty"] {
        case "RSA": required = ["e", "kty", "n"]
        case "EC": required = ["crv", "kty", "x", "y"]
        default: return nil
        }
        var members: [String] = []
        for name in required {
            guard let value = jwk[name] else { return nil }
            members.append("\"\(name)\":\"\(value)\"")
        }
        let canonical = "{" + members.joined(separator: ",") + "}"
        return Secrets.base64URL(Array(SHA256.hash(data: Data(canonical.utf8))))
    }

    /// The key type and curve an algorithm needs: `RSA` for RS*, `EC` P-256 for ES256, P-384 for ES384.
    package static func keyType(for algorithm: String) -> (kty: String, crv: String?)? {
        switch algorithm {
        case "RS256", "RS384": ("RSA", nil)
        case "ES256": ("EC", "P-256")
        case "ES384": ("EC", "P-384")
        default: nil
        }
    }
}
