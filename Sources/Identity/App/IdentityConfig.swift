import Foundation
import IdentityDomain
import Platform

/// Identity's settings, read once at start: defaults < environment < command line.
package struct IdentityConfig: Sendable {
    package var endpoint: ServiceEndpoint
    package var database: DatabaseLocation
    /// The base of every tenant's issuer URL: `<publicURL>/<tenant>`.
    package var publicURL: String
    package var dataDirectory: String
    /// Access and ID tokens live five minutes. Resource servers verify access tokens offline and do not ask
    /// Identity about revocation, so this lifetime is what bounds a token revoked after a replayed code.
    package var tokenLifetime: TimeInterval = 300
    package var codeLifetime: TimeInterval = 60
    /// bcrypt's cost for new password hashes (2^cost rounds). 10 takes about 60 ms on one core of a release build:
    /// slow for a guesser, quick for a person. Tests lower it to 4, the least bcrypt allows, where hashing was a
    /// fifth of the test run's CPU; a hash checks at the cost it names, so hashes made at either cost still work.
    package var passwordHashCost = 10
    /// How often the signing keys are read again from the database, to pick up a rotation made by
    /// `selfsched identity rotate-keys` or another Identity instance (`IDENTITY_KEY_RELOAD_SECONDS`).
    package var keyReloadInterval: TimeInterval = 5
    /// How long an API verifying Identity's tokens may hold the JWKS it fetched before it fetches it again on an
    /// unknown `kid` (Platform's ``DiscoveryJWKSSource`` minimum); also the `max-age` the JWKS is served with.
    package var verifierKeyRefreshInterval: TimeInterval = DiscoveryJWKSSource.defaultMinimumRefreshInterval
    /// How long a new signing key is published before any instance signs with it (20 s by default): two reload
    /// intervals, so that every instance has read it with one interval to spare for a slow read or clocks a few
    /// seconds apart, plus the verifiers' refresh interval, so that an API that fetched the JWKS just before the
    /// key appeared may fetch it again. Until then every instance signs with the previous key, so no API meets a
    /// `kid` it cannot find.
    package var keyActivationDelay: TimeInterval { 2 * keyReloadInterval + verifierKeyRefreshInterval }
    /// The key that seals the secrets Identity keeps in its database (`IDENTITY_SEALING_KEY`, base64 of 32 bytes);
    /// nil: the key file in the data directory (``SealingKeyFile``). Instances on different hosts need the same key.
    package var sealingKey: SealingKey?
    package var ssoLifetime: TimeInterval = 8 * 3600
    /// How long an invitation's set-password link works (`IDENTITY_INVITATION_TTL_SECONDS`).
    package var invitationLifetime: TimeInterval = 72 * 3600
    /// Password attempts for one email from one client address: five free, then waits from 30 s up to 15 min.
    package var accountAtAddressThrottle = ThrottlePolicy(freeAttempts: 5)
    /// For one email from every address together: guessing spread over many addresses is slowed too.
    package var accountThrottle = ThrottlePolicy(freeAttempts: 20)
    /// For one client address over every email: one address spraying many accounts.
    package var addressThrottle = ThrottlePolicy(freeAttempts: 50)
    /// Emails a form may send (reset and confirmation links) for one address: three an hour, then waits.
    package var mailAccountThrottle = ThrottlePolicy(freeAttempts: 3, firstDelay: 20 * 60, maxDelay: 3600)
    /// Emails a form may send from one client address, over every address it names.
    package var mailAddressThrottle = ThrottlePolicy(freeAttempts: 20, firstDelay: 60, maxDelay: 3600)
    /// Where the post-login hook asks Express about a partner user.
    package var expressURL: String
    /// The public URLs of the apps whose demo clients are registered.
    package var expressWebURL: String
    package var ossWebURL: String
    package var consoleWebURL: String
    /// Cookies marked Secure (everywhere but local development over plain HTTP).
    package var secureCookies: Bool
    /// How invitations, password resets and sign-up verifications leave (`SMTP_URL`, `MAIL_FROM`; `.eml` files
    /// under the data directory by default).
    package var mail = MailSettings(from: MailSettings.defaultFrom, smtp: nil, dataDirectory: ".selfsched")
    /// Send queued mail from a background worker while `selfsched serve` runs Identity (off in tests, which drive
    /// the outbox by hand).
    package var runOutboxWorker = true

    package init(
        endpoint: ServiceEndpoint = ServiceEndpoint(port: 8083), database: DatabaseLocation,
        publicURL: String = "http://localhost:8083", dataDirectory: String,
        expressURL: String = "http://localhost:8080", expressWebURL: String = "http://localhost:8080",
        ossWebURL: String = "http://localhost:8081", consoleWebURL: String = "http://127.0.0.1:8085",
        secureCookies: Bool = false
    ) {
        self.endpoint = endpoint
        self.database = database
        self.publicURL = publicURL
        self.dataDirectory = dataDirectory
        self.expressURL = expressURL
        self.expressWebURL = expressWebURL
        self.ossWebURL = ossWebURL
        self.consoleWebURL = consoleWebURL
        self.secureCookies = secureCookies
        self.mail = MailSettings(from: MailSettings.defaultFrom, smtp: nil, dataDirectory: dataDirectory)
    }

    package func issuer(_ tenant: Tenant) -> String { "\(publicURL)/\(tenant.rawValue)" }

    /// Reads `IDENTITY_DATABASE_URL`, `IDENTITY_PORT`, `IDENTITY_HOST`, `IDENTITY_PUBLIC_URL`, `EXPRESS_URL`,
    /// `OSS_PUBLIC_URL`, `CONSOLE_PUBLIC_URL` (or `CONSOLE_PORT`), `SELFSCHED_ENV`, `IDENTITY_INVITATION_TTL_SECONDS`,
    /// `IDENTITY_KEY_RELOAD_SECONDS` and `IDENTITY_SEALING_KEY` over the defaults.
    package static func fromEnvironment(
        _ env: [String: String] = ProcessInfo.processInfo.environment,
        dataDirectory: String
    ) throws -> IdentityConfig {
        var config = IdentityConfig(
            database: try DatabaseLocation(url: env["IDENTITY_DATABASE_URL"] ?? "\(dataDirectory)/identity.sqlite"),
            dataDirectory: dataDirectory)
        try config.endpoint.apply(env, prefix: "IDENTITY")
        if env["IDENTITY_PORT"] != nil { config.publicURL = "http://localhost:\(config.endpoint.port)" }
        if let url = env["IDENTITY_PUBLIC_URL"] { config.publicURL = url.hasSuffix("/") ? String(url.dropLast()) : url }
        if let url = env["EXPRESS_URL"] {
            config.expressURL = url
            config.expressWebURL = url
        }
        if let url = env["OSS_PUBLIC_URL"] { config.ossWebURL = url }
        if let url = env["CONSOLE_PUBLIC_URL"] {
            config.consoleWebURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        } else if let port = env["CONSOLE_PORT"] {
            // As Console builds its own redirect URIs on its port.
            config.consoleWebURL = "http://127.0.0.1:\(port)"
        }
        config.secureCookies = env["SELFSCHED_ENV"] == "production"
        config.mail = try MailSettings.fromEnvironment(env, dataDirectory: dataDirectory)
        if let text = env["IDENTITY_INVITATION_TTL_SECONDS"] {
            guard let seconds = TimeInterval(text), seconds > 0 else {
                throw ConfigurationError("IDENTITY_INVITATION_TTL_SECONDS must be a positive number of seconds.")
            }
            config.invitationLifetime = seconds
        }
        if let text = env["IDENTITY_KEY_RELOAD_SECONDS"] {
            guard let seconds = TimeInterval(text), seconds > 0 else {
                throw ConfigurationError("IDENTITY_KEY_RELOAD_SECONDS must be a positive number of seconds.")
            }
            config.keyReloadInterval = seconds
        }
        if let text = env["IDENTITY_SEALING_KEY"] {
            guard let key = Data(base64Encoded: text).flatMap({ SealingKey(bytes: Array($0)) }) else {
                throw ConfigurationError(
                    "IDENTITY_SEALING_KEY must be 32 bytes in base64 (`openssl rand -base64 32`, or "
                        + "`base64 -w0 <data dir>/identity-keys/totp.key` to keep an existing Identity's key).")
            }
            config.sealingKey = key
        }
        return config
    }
}
