import Foundation
import IdentityDomain
import Platform

/// Identity's key for sealing TOTP secrets: `<data dir>/identity-keys/totp.key`, 32 random bytes made on first
/// use, readable by the service's account only. Kept beside the signing keys and out of the database, so a copy of
/// the database alone cannot produce anyone's codes.
enum TOTPKeyFile {
    static func url(dataDirectory: String) -> URL {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("identity-keys").appendingPathComponent("totp.key")
    }

    static func box(dataDirectory: String) throws -> TOTPSecretBox {
        let url = url(dataDirectory: dataDirectory)
        if let key = try? Data(contentsOf: url), key.count == 32 { return TOTPSecretBox(key: Array(key)) }
        try FilePrivacy.ensureDirectory(url.deletingLastPathComponent())
        // Without overwriting: when two Identity processes start at once, the first key written is everyone's.
        try? Data(TOTPSecretBox.newKey()).write(to: url, options: .withoutOverwriting)
        FilePrivacy.restrict([url.path])
        let key = try Data(contentsOf: url)
        guard key.count == 32 else {
            throw ConfigurationError("\(url.path) is not a TOTP key (32 bytes). Restore it from a backup.")
        }
        return TOTPSecretBox(key: Array(key))
    }
}

extension IdentityService {
    /// Seals and opens the accounts' TOTP secrets.
    func totpBox() throws -> TOTPSecretBox { try TOTPKeyFile.box(dataDirectory: config.dataDirectory) }
}

/// Ours (IdentityDomain, plain Swift on swift-crypto), not Vapor's type of the same name.
typealias TOTP = IdentityDomain.TOTP
