import Crypto
import Foundation
import Secrets

/// Time-based one-time passwords (RFC 6238 on RFC 4226's HOTP): HMAC-SHA-1, six digits, 30-second steps, as every
/// authenticator app reads an `otpauth://` URI without asking.
package struct TOTP: Sendable, Equatable {
    package var secret: [UInt8]
    package var digits: Int
    package var period: TimeInterval

    package init(secret: [UInt8], digits: Int = 6, period: TimeInterval = 30) {
        self.secret = secret
        self.digits = digits
        self.period = period
    }

    /// A new random secret of 160 bits (RFC 4226's recommended length).
    package static func random() -> TOTP { TOTP(secret: Secrets.randomBytes(20)) }

    /// The time step at `date`: whole periods since the Unix epoch.
    package func step(at date: Date) -> Int {
        Int((date.timeIntervalSince1970 / period).rounded(.down))
    }

    /// HOTP (RFC 4226 §5.3): dynamic truncation of the HMAC of the step's 8 big-endian bytes.
    package func code(step: Int) -> String {
        let counter = withUnsafeBytes(of: UInt64(step).bigEndian) { Array($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: counter, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let binary =
            (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8)
            | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let text = String(binary % modulus)
        return String(repeating: "0", count: digits - text.count) + text
    }

    package func code(at date: Date) -> String { code(step: step(at: date)) }

    /// The step `code` belongs to: one of the step before, the current and the next (clock drift), and only
    /// one after `lastUsedStep`, so a code once accepted (or an older one) never passes again.
    package func matchingStep(_ code: String, at date: Date, after lastUsedStep: Int?) -> Int? {
        let typed = code.filter { !$0.isWhitespace }
        guard typed.count == digits, typed.allSatisfy(\.isASCII), typed.allSatisfy(\.isNumber) else { return nil }
        let now = step(at: date)
        var found: Int?
        for candidate in (now - 1)...(now + 1) where candidate > (lastUsedStep ?? Int.min) {
            // Every candidate is compared, in constant time, whichever matches.
            if Secrets.constantTimeEqual(self.code(step: candidate), typed), found == nil { found = candidate }
        }
        return found
    }

    /// The secret in base32 without padding, as authenticator apps take it.
    package var base32Secret: String { Base32.encode(secret) }

    /// The secret in groups of four, easier to type in by hand.
    package var groupedSecret: String {
        var groups: [String] = []
        var rest = Substring(base32Secret)
        while !rest.isEmpty {
            groups.append(String(rest.prefix(4)))
            rest = rest.dropFirst(4)
        }
        return groups.joined(separator: " ")
    }

    /// The key-URI an authenticator app reads (Google Authenticator's `otpauth://` format).
    package func uri(account email: String, issuer: String = "SelfScheduling") -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        func escaped(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text }
        return "otpauth://totp/\(escaped(issuer)):\(escaped(email))?secret=\(base32Secret)&issuer=\(escaped(issuer))"
            + "&algorithm=SHA1&digits=\(digits)&period=\(Int(period))"
    }
}

/// Base32 (RFC 4648 §6), the alphabet authenticator apps use for TOTP secrets.
package enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    /// Upper-case base32 without padding.
    package static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var text = ""
        var buffer = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                text.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
            buffer &= (1 << bits) - 1
        }
        if bits > 0 { text.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return text
    }

    /// The bytes of base32 text in either case, with or without padding, spaces and hyphens; nil for anything else.
    package static func decode(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var buffer = 0
        var bits = 0
        for character in text.uppercased() where !" -=".contains(character) {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = (buffer << 5) | value
            bits += 5
            if bits >= 8 {
                bytes.append(UInt8((buffer >> (bits - 8)) & 0xff))
                bits -= 8
            }
            buffer &= (1 << bits) - 1
        }
        return bytes
    }
}
