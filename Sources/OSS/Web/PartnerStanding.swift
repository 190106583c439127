import Foundation
import Platform
import Vapor
import Vocabulary

/// Whether a signed-in partner user may still act in OSS. Express owns the answer (the same lookup Identity's
/// post-login hook makes). OSS asks on every handoff redemption and submit, and otherwise at most
/// ``interval`` apart, so a user deactivated in Express stops at once for whatever creates anything, and within a
/// minute everywhere else.
struct PartnerStanding: Sendable {
    static let interval: TimeInterval = 60
    let service: OSSService

    enum Verdict: Equatable {
        case active
        case ended(String)
    }

    /// Asks Express now when `force` or when the last answer is older than ``interval``. Express unreachable is not
    /// a refusal: the user goes on (a callback waits for Express anyway, and Express flags one for a user it no
    /// longer knows as active) and is asked again at the next request.
    func check(_ req: Request, _ user: FlowUser, force: Bool) async -> Verdict {
        guard user.audience == .partner else { return .active }
        let session = req.webSession
        let now = service.now().timeIntervalSince1970
        if !force, let last = session["standing_checked_at"].flatMap(Double.init), now - last < Self.interval,
            now >= last
        {
            return .active
        }
        // Whatever the answer (unless it ends the session), Express is not asked again before the interval,
        // except for what creates something: a down or refusing Express is not hammered.
        session["standing_checked_at"] = String(now)
        let standing: PartnerUserStanding
        do {
            standing = try await Self.within(Self.patience) { [service] in
                try await service.downstream.express.standing(ofUserWithEmail: user.email)
            }
        } catch {
            req.logger.warning("partner standing unknown", metadata: ["reason": "express unreachable"])
            return .active
        }
        switch standing {
        case .active(let userID, let partnerID, let roles):
            guard user.owner == .partnerUser(partnerID, userID) else {
                return .ended("Your Express account changed. Sign in to Express again to go on.")
            }
            session["roles"] = roles.map(\.rawValue).joined(separator: ",")
            return .active
        case .inactive:
            return .ended(
                "Your Express account is no longer active, so this request cannot go on. Ask your organization's Express admin."
            )
        case .unknown:
            req.logger.warning("partner standing unknown", metadata: ["reason": "express refused the lookup"])
            return .active
        }
    }

    /// How long a page waits for Express's answer before going on without it.
    static let patience: Duration = .seconds(2)

    struct TimedOut: Error {}

    static func within<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws
        -> T
    {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw TimedOut() }
            return value
        }
    }
}
