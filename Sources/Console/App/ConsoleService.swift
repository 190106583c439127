import ConsoleDomain
import ExpressInternalAPI
import Fluent
import Foundation
import Platform
import Vapor
import Vocabulary

/// Everything Console's pages need, built once by ``ConsoleApp/configure(_:config:dependencies:now:)``. Feature
/// controllers hold it (`let service: ConsoleService`); inside a request, ``Vapor/Request/console`` is the same.
package struct ConsoleService: Sendable {
    package let config: ConsoleConfig
    package let database: ServiceDatabase
    package var db: any Database { database.db }
    /// Station, called with the signed-in staff member's token: use ``Vapor/Request/station()`` in a page.
    package let station: StationStaffGateway
    package let policy: any PolicyChecker
    /// Express's internal API with Console's machine token (partner onboarding: `onboardPartner`).
    package let express: ExpressInternalAPI.Client
    /// Console's analytics: ids and known values only (staff ids, care request ids, outcomes, statuses).
    package let tracker: Tracker
    package let now: @Sendable () -> Date
    /// The open live pages of this instance (Live/).
    package let live = LiveEventHub()

    package var audit: AuditLog { AuditLog(database: database, now: now) }

    /// Runs `body` in one transaction through the write gate.
    package func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await database.write(body)
    }

    /// The newest live event this instance has stored (a page resumes its stream after it).
    package func latestLiveEvent() async throws -> Int64 {
        try await LiveEventStore(database: database).latestID(topic: ConsoleLive.topic) ?? 0
    }
}

extension Request {
    /// Records `entry` for the signed-in staff member (or nobody, before sign-in) with this request's id. Call it
    /// BEFORE rendering PHI: when it throws, let it throw, and the page is not served.
    package func audit(_ entry: AuditEntry) async throws {
        let staff = try? staffMember
        try await console.audit.record(entry, by: staff, requestID: id)
    }

    /// Asks Policy whether the signed-in staff member may `action` the `resource`. Allowed: returns the decision
    /// (its `id` goes into the audit entry of the access). Refused: records `auditAction` as `denied` with the
    /// decision id and throws 403 naming it.
    package func authorize(_ action: PolicyAction, _ resource: PolicyResource, auditAction: String) async throws
        -> PolicyDecision
    {
        let staff = try staffMember
        let decision = try await console.policy.check(staff, action, resource)
        guard decision.allowed else {
            try await audit(
                AuditEntry(
                    auditAction, outcome: "denied",
                    careRequests: resource.kind == "care_request"
                        ? resource.id.flatMap(CareRequestID.init(wire:)).map { [$0] } ?? [] : [],
                    decisionID: decision.id, detail: decision.reason))
            throw Abort(.forbidden, reason: "You may not do this (reference \(decision.id)).")
        }
        return decision
    }
}
