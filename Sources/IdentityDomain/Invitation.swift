import Foundation

/// A one-time link that lets a new account's owner choose a password, as its dates record it. An account's
/// invitation is its newest link: reissuing one revokes the older ones.
package struct Invitation: Sendable, Equatable {
    package var sentAt: Date?
    package var expiresAt: Date
    package var openedAt: Date?
    /// When a password was chosen through it.
    package var acceptedAt: Date?
    /// When a newer link replaced it.
    package var revokedAt: Date?

    package init(
        sentAt: Date?, expiresAt: Date, openedAt: Date? = nil, acceptedAt: Date? = nil, revokedAt: Date? = nil
    ) {
        self.sentAt = sentAt
        self.expiresAt = expiresAt
        self.openedAt = openedAt
        self.acceptedAt = acceptedAt
        self.revokedAt = revokedAt
    }

    package enum State: String, Sendable, CaseIterable {
        /// No link was ever made (a seeded or configured account has its password already).
        case none
        case sent
        case opened
        case accepted
        /// Lapsed or replaced without being used.
        case expired
    }

    package func state(at now: Date) -> State {
        if acceptedAt != nil { return .accepted }
        if revokedAt != nil || expiresAt <= now { return .expired }
        return openedAt != nil ? .opened : .sent
    }

    /// The state of an account whose newest link is `newest`.
    package static func state(of newest: Invitation?, at now: Date) -> State {
        newest?.state(at: now) ?? .none
    }

    /// Whether a password may still be chosen through this link.
    package func isUsable(at now: Date) -> Bool {
        switch state(at: now) {
        case .sent, .opened: true
        case .none, .accepted, .expired: false
        }
    }

    /// How long a link works, in the words its email uses ("72 hours", "45 seconds").
    package static func lifetimeText(_ lifetime: TimeInterval) -> String {
        let seconds = max(Int(lifetime.rounded()), 1)
        func plural(_ count: Int, _ unit: String) -> String { count == 1 ? "1 \(unit)" : "\(count) \(unit)s" }
        if seconds % 86_400 == 0, seconds > 3 * 86_400 { return plural(seconds / 86_400, "day") }
        if seconds % 3600 == 0 { return plural(seconds / 3600, "hour") }
        if seconds % 60 == 0 { return plural(seconds / 60, "minute") }
        return plural(seconds, "second")
    }
}
