import Foundation
import PolicyAPI
import Vocabulary

/// ``PolicyGateway`` over Policy's generated client.
struct LivePolicyGateway: PolicyGateway {
    let client: Client

    func maySchedule(_ question: SchedulingQuestion) async throws -> PolicyDecision {
        let output = try await Downstream.call("Policy") {
            try await client.check(
                body: .json(
                    .init(
                        principal: .init(
                            userId: question.user.wire, partnerId: question.partner.wire,
                            roles: question.roles.map(\.rawValue),
                            tenant: .express),
                        action: .schedule,
                        resource: .init(
                            _type: .patient, id: question.patient.wire, partnerId: question.patientPartner?.wire))))
        }
        return try Self.decision(output)
    }

    func mayChange(_ question: ChangeQuestion) async throws -> PolicyDecision {
        let principal: Components.Schemas.Principal =
            switch question.asker {
            case .partnerUser(let partner, let user):
                .init(
                    userId: user.wire, partnerId: partner.wire, roles: question.roles.map(\.rawValue), tenant: .express)
            case .patient(let account): .init(userId: account, tenant: .patients)
            }
        let output = try await Downstream.call("Policy") {
            try await client.check(
                body: .json(
                    .init(
                        principal: principal, action: .update,
                        resource: .init(
                            _type: .careRequest, id: question.careRequest.wire,
                            partnerId: question.requestPartner?.wire, ownerUserId: question.requestOwner,
                            managingAccounts: question.requestPartner == nil ? question.managingAccounts : nil))))
        }
        return try Self.decision(output)
    }

    static func decision(_ output: Operations.Check.Output) throws -> PolicyDecision {
        guard case .ok(let ok) = output, let decision = try? ok.body.json else {
            throw Unavailable(service: "Policy", description: "Policy refused the check")
        }
        return PolicyDecision(allowed: decision.allowed, id: decision.decisionId, reason: decision.reason)
    }
}
