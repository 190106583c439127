import Foundation
import Secrets

/// The one-click unsubscribe token in a patient email's link (RFC 8058): which account stops which emails,
/// signed so nobody can stop someone else's. It names the identity account's subject (an opaque id) and the
/// kind of email, nothing else.
package struct EmailUnsubscribe: Equatable, Sendable {
    package enum Kind: String, Sendable {
        /// The emails about a patient's own requests (``PatientNotice``).
        case requestUpdates = "request_updates"
    }

    package var account: String
    package var kind: Kind

    package init(account: String, kind: Kind) {
        self.account = account
        self.kind = kind
    }

    static let purpose = "oss.email-unsubscribe.v1"

    package func token(secret: String) -> String {
        Secrets.signedToken("\(kind.rawValue)|\(account)", secret: secret, purpose: Self.purpose)
    }

    /// The unsubscribe a token made with `secret` stands for; nil for a forged or altered one.
    package init?(token: String, secret: String) {
        guard let payload = Secrets.verifiedPayload(token, secret: secret, purpose: Self.purpose),
            let bar = payload.firstIndex(of: "|"), let kind = Kind(rawValue: String(payload[..<bar]))
        else { return nil }
        let account = String(payload[payload.index(after: bar)...])
        guard !account.isEmpty else { return nil }
        self.init(account: account, kind: kind)
    }
}
