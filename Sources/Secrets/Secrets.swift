import Crypto
import Foundation

/// The one place secrets are made, encoded, hashed and compared: session ids, one-time codes, handoff handles,
/// PKCE verifiers and generated client secrets all come from here. Foundation and Crypto only.
package enum Secrets {
    /// `count` bytes from the system's secure random generator.
    package static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        // One system call per eight bytes, not per byte.
        let words = (0..<(count + 7) / 8).map { _ in generator.next() as UInt64 }
        return Array(
            words.flatMap { word in (0..<8).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) } }.prefix(count))
    }

    /// A URL-safe random token of `bytes` random bytes (256 bits by default), base64url without padding.
    package static func randomToken(bytes: Int = 32) -> String {
        base64URL(randomBytes(bytes))
    }

    /// Base64url without padding (RFC 4648 §5), as JWTs, PKCE and URLs want it.
    package static func base64URL(_ bytes: some DataProtocol) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(
            of: "/", with: "_"
        )
        .replacingOccurrences(of: "=", with: "")
    }

    /// The bytes of base64url text, padded or not; nil when it is not base64url.
    package static func base64URLDecoded(_ text: some StringProtocol) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }

    /// Lowercase hex of `bytes`.
    package static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The SHA-256 of `text`'s UTF-8, hex: how secrets, codes and handles are stored (never the secret itself).
    package static func sha256Hex(_ text: String) -> String {
        hex(SHA256.hash(data: Data(text.utf8)))
    }

    /// The PKCE S256 challenge of `verifier` (RFC 7636 §4.2): base64url of its SHA-256.
    package static func pkceChallenge(for verifier: String) -> String {
        base64URL(Array(SHA256.hash(data: Data(verifier.utf8))))
    }

    /// Whether `a` and `b` are equal, in time that depends only on their length, so a guesser learns nothing
    /// from how fast a wrong secret is refused.
    package static func constantTimeEqual(_ a: some StringProtocol, _ b: some StringProtocol) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// The first 12 hex characters of a handoff handle's SHA-256, the same in Express and OSS: enough to trace
    /// a handoff through both logs and audit trails, useless to redeem it.
    package static func handoffFingerprint(_ handle: String) -> String {
        String(sha256Hex(handle).prefix(12))
    }
}
