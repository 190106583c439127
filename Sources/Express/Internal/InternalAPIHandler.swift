import ExpressDomain
import ExpressInternalAPI
import Fluent
import Foundation
import OpenAPIRuntime
import Platform
import Vapor
import Vocabulary

/// Express's internal API: the post-login hook, OSS's callback, Station's events (Events/), the flags admin API and
/// partner onboarding (+Onboarding).
struct InternalAPIHandler: APIProtocol {
    let service: ExpressService

    static let scopes: [String: String?] = [
        "lookUpIdentityClaims": "express.claims.read",
        "receiveCareRequestCallback": "express.callbacks.write",
        "setPartnerFlag": "express.flags.write",
        "onboardPartner": "express.partners.write",
    ]

    /// Operations a signature authenticates instead of a bearer token (Platform's ``WebhookVerificationMiddleware``).
    static let signedWithoutBearer: Set<String> = ["receiveStationEvent"]

    func lookUpIdentityClaims(_ input: Operations.LookUpIdentityClaims.Input) async throws
        -> Operations.LookUpIdentityClaims.Output
    {
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the lookup as JSON.") }
        guard let user = try await service.user(email: body.email) else {
            return .notFound(
                .init(
                    body: .applicationProblemJson(
                        .init(
                            _type: "urn:selfsched:problem:unknown-user", title: "Unknown user", status: 404,
                            detail:
                                "This email has no Express account. Ask your organization's Express admin to add you."))
                ))
        }
        guard user.active else {
            return .forbidden(
                .init(
                    body: .applicationProblemJson(
                        .init(
                            _type: "urn:selfsched:problem:deactivated", title: "Deactivated", status: 403,
                            detail: "Your Express account has been deactivated. Ask your organization's Express admin.")
                    )))
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        userId: user.userID.wire, partnerId: user.partner.wire,
                        roles: [.init(rawValue: user.role) ?? .viewer]))))
    }

    func receiveCareRequestCallback(_ input: Operations.ReceiveCareRequestCallback.Input) async throws
        -> Operations.ReceiveCareRequestCallback.Output
    {
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the callback as JSON.") }
        let webhookID = input.headers.webhookId
        if try await Receipts.seen(webhookID, in: WebhookReceiptModel.schema, on: service.db) {
            return .noContent(.init())
        }
        guard let careRequest = CareRequestID(wire: body.careRequestId), let partner = PartnerID(wire: body.partnerId),
            let userID = UserID(wire: body.userId)
        else {
            throw Problem.validation([.init(field: "user_id", message: "must be an Express user id")])
        }
        guard let user = try await service.user(userID), user.partner == partner else {
            throw Problem.validation([.init(field: "user_id", message: "is not a user of this partner")])
        }
        // As the design document's sequence does: confirm the request, and its attributes, with Station.
        let found: Bool
        do {
            found = try await service.station.careRequest(partner: partner, id: careRequest) != nil
        } catch {
            throw Problem.unavailable("Station could not confirm the care request; retry later.")
        }
        guard found else {
            throw Problem.validation([.init(field: "care_request_id", message: "is not a care request of this partner")]
            )
        }
        try await service.link(careRequest: careRequest, partner: partner, user: userID)
        let at = service.now()
        // Started before the user was deactivated: the request exists, so who made it is recorded, and flagged,
        // once per callback (with its receipt, in one transaction).
        let inactive = !user.active
        let log = service.audit
        let origin = AuditContext(
            user: userID, partner: partner, requestID: webhookID,
            client: (try? Principal.authenticated().callerKey) ?? "oss")
        try await service.write { db in
            guard try await Receipts.claim(webhookID, in: WebhookReceiptModel.schema, at: at, on: db) else { return }
            if inactive {
                try await log.record(
                    AuditEntry(
                        action: "care_request.callback", careRequests: [careRequest], outcome: "user_inactive",
                        detail: "started_by_inactive_user"), origin, on: db)
            }
        }
        return .noContent(.init())
    }

    func setPartnerFlag(_ input: Operations.SetPartnerFlag.Input) async throws -> Operations.SetPartnerFlag.Output {
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the flag as JSON.") }
        guard let partner = PartnerID(wire: input.path.partnerId), try await service.partner(partner) != nil else {
            throw Problem.notFound("No partner with id \(input.path.partnerId).")
        }
        guard let flag = FeatureFlag(rawValue: input.path.flag.rawValue) else {
            throw Problem.notFound("No flag \(input.path.flag.rawValue).")
        }
        let origin = AuditContext(partner: partner, requestID: "api", client: try Principal.authenticated().callerKey)
        let flags = try await SetFeatureFlag(service: service)(
            flag, enabled: body.enabled, partner: partner, origin: origin)
        return .ok(
            .init(
                body: .json(
                    .init(
                        partnerId: partner.wire,
                        stationCareRequests: flags.contains(.stationCareRequests),
                        ossHandoff: flags.contains(.ossHandoff)))))
    }
}
