import Foundation

/// Where the identity provider is, and so which issuers every service trusts: all derived from one setting,
/// `IDENTITY_PUBLIC_URL` (or `IDENTITY_PORT` on localhost), so that moving Identity moves every issuer list.
package enum IdentityIssuers {
    /// The tenants of the embedded Identity; each is an issuer at `<base>/<tenant>`.
    package static let tenants = ["express", "patients", "staff"]

    /// `IDENTITY_PUBLIC_URL`, else `http://localhost:<IDENTITY_PORT>`, else Identity's default address.
    package static func baseURL(_ env: [String: String]) -> String {
        let base =
            env["IDENTITY_PUBLIC_URL"] ?? env["IDENTITY_PORT"].map { "http://localhost:\($0)" }
            ?? "http://localhost:8083"
        return base.hasSuffix("/") ? String(base.dropLast()) : base
    }

    /// The issuers a resource server trusts: the comma-separated list in `variable` when set, else every tenant
    /// of the identity provider at ``baseURL(_:)``.
    package static func trusted(_ env: [String: String], override variable: String) -> Set<String> {
        if let list = env[variable] {
            return Set(
                list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        let base = baseURL(env)
        return Set(tenants.map { "\(base)/\($0)" })
    }
}

/// A trusted issuer whose discovery document names another issuer: a configuration error (OpenID Connect
/// Discovery 1.0, section 4.3), since tokens it signs could never match the issuer we expect.
package struct IssuerMismatch: Error, CustomStringConvertible, Sendable {
    package var expected: String
    package var named: String
    package var description: String {
        "The issuer \(expected) is trusted, but its discovery document names the issuer \(named). "
            + "Set IDENTITY_PUBLIC_URL (or the *_TRUSTED_ISSUERS lists) to the identity provider's public URL."
    }
}
