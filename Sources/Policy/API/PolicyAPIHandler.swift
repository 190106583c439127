import Foundation
import Logging
import Platform
import PolicyAPI
import PolicyDomain
import Vocabulary

/// Policy's API: decisions only, each logged with its id and without PHI.
struct PolicyAPIHandler: APIProtocol {
    let logger: Logger

    static let scopes: [String: String?] = ["check": "policy.check", "checkBatch": "policy.check"]

    func check(_ input: Operations.Check.Input) async throws -> Operations.Check.Output {
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the check as JSON.") }
        let actor = try Actor(body.principal)
        let decision = decide(actor, try Action(body.action), try Resource(body.resource))
        return .ok(.init(body: .json(decision)))
    }

    func checkBatch(_ input: Operations.CheckBatch.Input) async throws -> Operations.CheckBatch.Output {
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the checks as JSON.") }
        guard body.resources.count <= 100 else { throw Problem.badRequest("At most 100 resources per batch.") }
        let actor = try Actor(body.principal)
        let action = try Action(body.action)
        let decisions = try body.resources.map { decide(actor, action, try Resource($0)) }
        return .ok(.init(body: .json(.init(decisions: decisions))))
    }

    private func decide(_ actor: Actor, _ action: Action, _ resource: Resource) -> Components.Schemas.Decision {
        let verdict = AccessRules.decide(actor, action, resource)
        ServiceMetrics.count(
            "policy_decisions_total",
            [("outcome", verdict.allowed ? "allowed" : "denied"), ("action", action.rawValue)])
        let id = "dec_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        logger.info(
            "policy decision",
            metadata: [
                "decision_id": .string(id), "allowed": .stringConvertible(verdict.allowed),
                "reason": .string(verdict.reason),
                "policy_version": .string(AccessRules.version), "tenant": .string(actor.tenant.rawValue),
                "user_id": .string(actor.userID ?? "-"), "partner_id": .string(actor.partnerID?.wire ?? "-"),
                "action": .string(action.rawValue), "resource_type": .string(resource.kind.rawValue),
                "resource_id": .string(resource.id ?? "-"),
            ])
        return .init(
            allowed: verdict.allowed, reason: verdict.reason, decisionId: id, policyVersion: AccessRules.version)
    }
}

extension Actor {
    /// The principal's role names become typed roles; a name no role has grants nothing and is dropped, so a
    /// token carrying one is decided as if it did not.
    init(_ p: Components.Schemas.Principal) throws {
        let partner = try PartnerID.parse(p.partnerId, field: "principal.partner_id")
        guard let tenant = Tenant(rawValue: p.tenant.rawValue) else {
            throw Problem.validation([.init(field: "principal.tenant", message: "is not a tenant these rules know")])
        }
        let names = p.roles ?? []
        self.init(
            tenant: tenant, userID: p.userId, partnerID: partner,
            partnerRoles: Set(names.compactMap(PartnerRole.init(rawValue:))),
            staffRoles: Set(names.compactMap(StaffRole.init(rawValue:))))
    }
}

extension PartnerID {
    /// The partner id a request names, if any; a value that is not a UUID is a validation error on `field`.
    static func parse(_ raw: String?, field: String) throws -> PartnerID? {
        guard let raw else { return nil }
        guard let id = PartnerID(wire: raw) else {
            throw Problem.validation([.init(field: field, message: "must be a UUID")])
        }
        return id
    }
}

extension Resource {
    init(_ r: Components.Schemas.Resource) throws {
        let partner = try PartnerID.parse(r.partnerId, field: "resource.partner_id")
        guard let kind = Kind(rawValue: r._type.rawValue) else {
            throw Problem.validation([.init(field: "resource.type", message: "is not a resource type these rules know")]
            )
        }
        self.init(
            kind: kind, id: r.id, partnerID: partner, ownerUserID: r.ownerUserId,
            managingAccounts: r.managingAccounts ?? [])
    }
}

extension Action {
    /// The document and the rules name the same actions; one the rules lack is refused, never a trap.
    init(_ action: Components.Schemas.Action) throws {
        guard let known = Action(rawValue: action.rawValue) else {
            throw Problem.validation([.init(field: "action", message: "is not an action these rules know")])
        }
        self = known
    }
}
