import Crypto
import Foundation
import Secrets

/// Seals TOTP secrets for the database with ChaCha20-Poly1305 under Identity's sealing key (``SealingKey/totp``), so
/// a copy of the database alone cannot produce codes. Each sealed secret is bound to its account id (authenticated data), so
/// one account's sealed secret copied onto another does not open.
package struct TOTPSecretBox: Sendable {
    let key: SymmetricKey

    /// `key` must be 32 bytes.
    package init(key: [UInt8]) { self.key = SymmetricKey(data: key) }

    package static func newKey() -> [UInt8] { Secrets.randomBytes(32) }

    package func seal(_ totp: TOTP, account: UUID) throws -> String {
        try ChaChaPoly.seal(totp.secret, using: key, authenticating: Data(account.uuidString.lowercased().utf8))
            .combined.base64EncodedString()
    }

    /// The secret sealed for `account`; nil when it was sealed under another key or for another account.
    package func open(_ sealed: String, account: UUID) -> TOTP? {
        guard let data = Data(base64Encoded: sealed), let box = try? ChaChaPoly.SealedBox(combined: data),
            let secret = try? ChaChaPoly.open(
                box, using: key, authenticating: Data(account.uuidString.lowercased().utf8))
        else { return nil }
        return TOTP(secret: Array(secret))
    }
}
