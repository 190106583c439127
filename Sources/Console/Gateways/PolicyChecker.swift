import ConsoleDomain
import Foundation
import OpenAPIAsyncHTTPClient
import Platform
import PolicyAPI
import Vocabulary

/// Asks Policy whether a staff member may act on a resource; the decision id goes into the audit event.
/// Policy not answering throws (the page is not served).
package protocol PolicyChecker: Sendable {
    func check(_ actor: StaffMember, _ action: PolicyAction, _ resource: PolicyResource) async throws -> PolicyDecision
}

/// Policy's actions (its OpenAPI `Action`).
package enum PolicyAction: String, Sendable, CaseIterable {
    case read, create, schedule, update, dispatch, manage
}

/// What a check is about: a kind of Policy's `Resource` (`patient`, `care_request`, `partner`, `market`), an id,
/// and the partner it belongs to when known.
package struct PolicyResource: Sendable, Equatable {
    package var kind: String
    package var id: String?
    package var partner: PartnerID?

    package init(kind: String, id: String?, partner: PartnerID? = nil) {
        self.kind = kind
        self.id = id
        self.partner = partner
    }

    package static func careRequest(_ id: CareRequestID, partner: PartnerID? = nil) -> PolicyResource {
        PolicyResource(kind: "care_request", id: id.wire, partner: partner)
    }

    package static func patient(_ id: PatientID, partner: PartnerID? = nil) -> PolicyResource {
        PolicyResource(kind: "patient", id: id.wire, partner: partner)
    }

    /// A partner (onboarding); nil for a partner not created yet.
    package static func partner(_ id: PartnerID?) -> PolicyResource {
        PolicyResource(kind: "partner", id: id?.wire)
    }

    /// A market's configuration; nil for a market not created yet.
    package static func market(_ id: MarketID?) -> PolicyResource {
        PolicyResource(kind: "market", id: id?.wire)
    }
}

package struct PolicyDecision: Sendable, Equatable {
    package var allowed: Bool
    /// Policy's reference for this decision (`dec_…`), audited and shown to a refused person.
    package var id: String
    package var reason: String

    package init(allowed: Bool, id: String, reason: String) {
        self.allowed = allowed
        self.id = id
        self.reason = reason
    }
}

/// ``PolicyChecker`` over Policy's generated client, with Console's machine token (console-m2m, `policy.check`).
package struct LivePolicyChecker: PolicyChecker {
    let client: PolicyAPI.Client

    package init(policyURL: String, tokens: any AccessTokenSource) throws {
        guard let url = URL(string: policyURL) else {
            throw ConfigurationError("POLICY_URL \(policyURL) is not a URL.")
        }
        client = PolicyAPI.Client(
            serverURL: url, configuration: .standard,
            transport: AsyncHTTPClientTransport(configuration: .init(timeout: ServiceCallTimeout.amount(5))),
            middlewares: [TraceClientMiddleware(), BearerTokenMiddleware(tokens)])
    }

    package func check(_ actor: StaffMember, _ action: PolicyAction, _ resource: PolicyResource) async throws
        -> PolicyDecision
    {
        guard let kind = Components.Schemas.Resource._TypePayload(rawValue: resource.kind),
            let verb = Components.Schemas.Action(rawValue: action.rawValue)
        else { throw PolicyUnavailable(description: "Policy does not know \(action.rawValue) \(resource.kind)") }
        let output: Operations.Check.Output
        do {
            output = try await client.check(
                body: .json(
                    .init(
                        principal: .init(
                            userId: actor.id, roles: actor.roles.map(\.rawValue).sorted(), tenant: .staff),
                        action: verb,
                        resource: .init(_type: kind, id: resource.id, partnerId: resource.partner?.wire))))
        } catch {
            throw PolicyUnavailable(description: "Policy could not be reached: \(error)")
        }
        guard case .ok(let ok) = output, let decision = try? ok.body.json else {
            throw PolicyUnavailable(description: "Policy answered \(output)")
        }
        return PolicyDecision(allowed: decision.allowed, id: decision.decisionId, reason: decision.reason)
    }
}

/// Policy did not answer: the page that needed the decision is not served.
package struct PolicyUnavailable: Error, CustomStringConvertible {
    package var description: String
}
