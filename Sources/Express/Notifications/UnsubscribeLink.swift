import Foundation
import Platform
import Vocabulary

/// The one-click unsubscribe credential of a notification email (RFC 8058): the user's id and an expiry,
/// signed (``Secrets/signedToken(_:secret:purpose:)``) with Express's unsubscribe secret for this purpose only.
/// No PHI, no session needed.
struct UnsubscribeLink: Sendable {
    static let purpose = "express.notifications-unsubscribe.v1"
    static let lifetime: TimeInterval = 180 * 86_400

    enum Refusal: Error, Equatable {
        /// Not made with Express's secret for this purpose: forged, altered or not a token at all.
        case forged
        case expired
    }

    let secret: String
    let publicURL: String

    func token(for user: UserID, now: Date) -> String {
        let expires = Int64(now.addingTimeInterval(Self.lifetime).timeIntervalSince1970)
        return Secrets.signedToken("\(user.wire)|\(expires)", secret: secret, purpose: Self.purpose)
    }

    func url(for user: UserID, now: Date) -> String { "\(publicURL)/unsubscribe/\(token(for: user, now: now))" }

    /// The user a token was made for, if it is genuine and has not expired at `now`.
    func user(_ token: String, now: Date) throws(Refusal) -> UserID {
        guard let payload = Secrets.verifiedPayload(token, secret: secret, purpose: Self.purpose) else { throw .forged }
        let fields = payload.split(separator: "|", omittingEmptySubsequences: false)
        guard fields.count == 2, let user = UserID(wire: String(fields[0])), let expires = Int64(fields[1]) else {
            throw .forged
        }
        guard Date(timeIntervalSince1970: TimeInterval(expires)) > now else { throw .expired }
        return user
    }
}
