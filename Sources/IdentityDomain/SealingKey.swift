import Crypto
import Foundation
import Secrets

/// Identity's sealing key: 32 random bytes that seal the secrets Identity keeps in its database (the accounts'
/// TOTP secrets, the signing keys' private halves) and sign its known-device cookies, so a copy of the database
/// alone opens none of them. Every Identity instance on one database must hold the same key.
package struct SealingKey: Sendable, Equatable {
    /// The key's bytes, as the key file holds them.
    package let bytes: [UInt8]

    /// Nil unless `bytes` is 32 bytes long.
    package init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// A new random key.
    package static func generate() -> SealingKey {
        SealingKey(unchecked: Secrets.randomBytes(32))
    }

    private init(unchecked bytes: [UInt8]) { self.bytes = bytes }

    /// The accounts' TOTP secrets, sealed under the key itself (as they were before the key sealed anything else).
    package var totp: TOTPSecretBox { TOTPSecretBox(key: bytes) }

    /// Seals `plaintext` with AES-GCM under a key derived for `purpose` (HKDF-SHA256), bound to `context`
    /// (authenticated data: a row's id, so one row's sealed value copied onto another does not open).
    package func seal(_ plaintext: some DataProtocol, purpose: String, context: String) throws -> String {
        let sealed = try AES.GCM.seal(plaintext, using: derived(purpose), authenticating: Data(context.utf8))
        guard let combined = sealed.combined else { throw CryptoKitError.incorrectParameterSize }
        return combined.base64EncodedString()
    }

    /// What ``seal(_:purpose:context:)`` sealed; nil when it was sealed under another key, purpose or context.
    package func open(_ sealed: String, purpose: String, context: String) -> Data? {
        guard let data = Data(base64Encoded: sealed), let box = try? AES.GCM.SealedBox(combined: data) else {
            return nil
        }
        return try? AES.GCM.open(box, using: derived(purpose), authenticating: Data(context.utf8))
    }

    private func derived(_ purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: bytes), info: Data("selfsched identity \(purpose)".utf8),
            outputByteCount: 32)
    }
}
