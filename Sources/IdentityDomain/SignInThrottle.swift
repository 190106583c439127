import Foundation

/// How password attempts are slowed down. Each key (an email at one client address, an email from anywhere,
/// one client address) has a few free attempts; after them every attempt opens a wait that doubles, up to a cap.
///
/// An attempt is counted when it is admitted, before its password is checked, so concurrent guesses cannot
/// all pass a check made before any of them was counted. Known and unknown emails are counted alike, so the
/// answers never tell whether an account exists; and a first wait of seconds, not a fixed lock of minutes, keeps
/// a stranger from locking an owner out for long.
package struct ThrottlePolicy: Sendable, Equatable {
    package var freeAttempts: Int
    package var firstDelay: TimeInterval
    package var maxDelay: TimeInterval
    /// A key unused this long starts afresh.
    package var forgetAfter: TimeInterval

    package init(
        freeAttempts: Int, firstDelay: TimeInterval = 30, maxDelay: TimeInterval = 15 * 60,
        forgetAfter: TimeInterval = 3600
    ) {
        self.freeAttempts = freeAttempts
        self.firstDelay = firstDelay
        self.maxDelay = maxDelay
        self.forgetAfter = forgetAfter
    }

    /// One key's count since its last success.
    package struct State: Sendable, Equatable {
        package var attempts: Int
        package var blockedUntil: Date?
        package var updatedAt: Date

        package init(attempts: Int, blockedUntil: Date?, updatedAt: Date) {
            self.attempts = attempts
            self.blockedUntil = blockedUntil
            self.updatedAt = updatedAt
        }
    }

    package enum Decision: Sendable, Equatable {
        /// Go ahead; store this state.
        case admit(State)
        /// Refused without checking the password: try again at this time.
        case wait(until: Date)
    }

    package func decide(_ state: State?, now: Date) -> Decision {
        if let blocked = state?.blockedUntil, blocked > now { return .wait(until: blocked) }
        let previous = state.map { now.timeIntervalSince($0.updatedAt) > forgetAfter ? 0 : $0.attempts } ?? 0
        let attempts = previous + 1
        return .admit(
            State(
                attempts: attempts, blockedUntil: delay(after: attempts).map { now.addingTimeInterval($0) },
                updatedAt: now))
    }

    /// An admitted attempt that proved the password no longer counts (for a key not reset by success).
    package func refunded(_ state: State) -> State {
        let attempts = max(state.attempts - 1, 0)
        return State(
            attempts: attempts, blockedUntil: attempts < freeAttempts ? nil : state.blockedUntil,
            updatedAt: state.updatedAt)
    }

    /// The wait after the `attempts`-th attempt; none while attempts are free.
    func delay(after attempts: Int) -> TimeInterval? {
        guard attempts >= freeAttempts else { return nil }
        return min(firstDelay * pow(2, Double(min(attempts - freeAttempts, 16))), maxDelay)
    }
}
