import Foundation

/// An SMTP server as `SMTP_URL` names it:
/// - `smtp://user:pass@host:587`: STARTTLS when the server offers it, and required before credentials are sent;
/// - `smtps://user:pass@host:465`: TLS from the first byte;
/// - `smtp://host:2525?tls=none`: no TLS at all (a local test server); `?tls=starttls` requires STARTTLS.
/// Other parameters: `ca=/path/to/ca.pem` trusts that CA (a private relay, or a test's throwaway certificate)
/// instead of the system's roots; `timeout=<seconds>` per step (default 30); `helo=<name>` the EHLO name.
/// User and password are percent-decoded (write `%40` for `@`).
package struct SMTPConfiguration: Sendable, Equatable {
    package enum Security: String, Sendable, Equatable {
        case none
        case startTLSWhenOffered
        case startTLS
        case implicitTLS
    }

    package var host: String
    package var port: Int
    package var security: Security
    package var username: String?
    package var password: String?
    package var trustedCAFile: String?
    package var timeout: Duration
    package var heloName: String

    package init(url text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "smtp" || scheme == "smtps", let host = components.host, !host.isEmpty
        else {
            throw ConfigurationError("SMTP_URL must look like smtp://user:password@host:587 or smtps://host:465.")
        }
        self.host = host
        port = components.port ?? (scheme == "smtps" ? 465 : 25)
        username = components.percentEncodedUser?.removingPercentEncoding
        password = components.percentEncodedPassword?.removingPercentEncoding
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name.lowercased(), $0.value ?? "") }, uniquingKeysWith: { $1 })
        switch (scheme, query["tls"]?.lowercased()) {
        case ("smtps", nil), ("smtps", "implicit"): security = .implicitTLS
        case ("smtp", nil): security = .startTLSWhenOffered
        case ("smtp", "starttls"): security = .startTLS
        case ("smtp", "none"): security = .none
        default:
            throw ConfigurationError("SMTP_URL's tls= must be none or starttls (smtp://) and is implied by smtps://.")
        }
        trustedCAFile = query["ca"].flatMap { $0.isEmpty ? nil : $0 }
        if let seconds = query["timeout"] {
            guard let value = Int(seconds), value > 0 else {
                throw ConfigurationError("SMTP_URL's timeout= must be a whole number of seconds.")
            }
            timeout = .seconds(value)
        } else {
            timeout = .seconds(30)
        }
        heloName = query["helo"].flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        if let caFile = trustedCAFile, !FileManager.default.fileExists(atPath: caFile) {
            throw ConfigurationError("SMTP_URL's ca= file \(caFile) does not exist.")
        }
    }

    /// The URL without the password, for logs and start-up lines.
    package var redactedURL: String {
        let scheme = security == .implicitTLS ? "smtps" : "smtp"
        let user = username.map { "\($0):***@" } ?? ""
        return "\(scheme)://\(user)\(host):\(port)"
    }
}
