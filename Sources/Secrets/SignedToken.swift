import Crypto
import Foundation

extension Secrets {
    /// `payload` and an HMAC-SHA256 over it, URL-safe: `<base64url payload>.<base64url MAC>`. The key is derived
    /// from `secret` for `purpose` (HKDF), so one secret can sign several kinds of token and none passes for
    /// another. Signed, not encrypted: put ids in the payload, never anything private.
    package static func signedToken(_ payload: String, secret: String, purpose: String) -> String {
        let body = base64URL(Data(payload.utf8))
        return body + "." + mac(body, secret: secret, purpose: purpose)
    }

    /// The payload of a token ``signedToken(_:secret:purpose:)`` made with this secret and purpose; nil for
    /// anything else (forged, altered, another purpose's, or not a token at all).
    package static func verifiedPayload(_ token: String, secret: String, purpose: String) -> String? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, constantTimeEqual(parts[1], mac(String(parts[0]), secret: secret, purpose: purpose)),
            let payload = base64URLDecoded(parts[0])
        else { return nil }
        return String(data: payload, encoding: .utf8)
    }

    private static func mac(_ body: String, secret: String, purpose: String) -> String {
        let key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(secret.utf8)), info: Data(purpose.utf8), outputByteCount: 32)
        return base64URL(Array(HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: key)))
    }
}
