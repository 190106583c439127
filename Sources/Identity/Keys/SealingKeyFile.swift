import Foundation
import IdentityDomain
import Platform

/// Where Identity's ``SealingKey`` comes from: `IDENTITY_SEALING_KEY` (base64 of 32 bytes, the same value on every
/// instance), or else the file `<data dir>/identity-keys/totp.key` (named for the key's first use), 32 random bytes
/// made on first start, readable by the service's account only. Kept out of the database, so a copy of the
/// database alone opens no sealed secret.
enum SealingKeyFile {
    static func url(dataDirectory: String) -> URL {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("identity-keys").appendingPathComponent("totp.key")
    }

    /// The configured key, or the data directory's. A configured key that differs from a key file already in the
    /// data directory is refused: what this Identity sealed so far would no longer open.
    static func load(_ config: IdentityConfig) throws -> SealingKey {
        let url = url(dataDirectory: config.dataDirectory)
        let onDisk = (try? Data(contentsOf: url)).flatMap { SealingKey(bytes: Array($0)) }
        if let configured = config.sealingKey {
            if let onDisk, onDisk != configured {
                throw ConfigurationError(
                    "IDENTITY_SEALING_KEY differs from \(url.path), which sealed this Identity's secrets. Set it to "
                        + "that file's value (`base64 -w0 \(url.path)`), or remove the file if nothing was sealed with it."
                )
            }
            return configured
        }
        if let onDisk { return onDisk }
        try FilePrivacy.ensureDirectory(url.deletingLastPathComponent())
        // Without overwriting: when two Identity processes start at once, the first key written is everyone's.
        try? Data(SealingKey.generate().bytes).write(to: url, options: .withoutOverwriting)
        FilePrivacy.restrict([url.path])
        guard let key = SealingKey(bytes: Array(try Data(contentsOf: url))) else {
            throw ConfigurationError("\(url.path) is not Identity's sealing key (32 bytes). Restore it from a backup.")
        }
        return key
    }
}

extension IdentityService {
    /// Seals and opens the accounts' TOTP secrets. (Throws no more since the key is loaded at start; kept
    /// throwing for its callers.)
    func totpBox() throws -> TOTPSecretBox { sealing.totp }
}

/// Ours (IdentityDomain, plain Swift on swift-crypto), not Vapor's type of the same name.
typealias TOTP = IdentityDomain.TOTP
