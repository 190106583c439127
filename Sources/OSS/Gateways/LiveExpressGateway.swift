import ExpressInternalAPI
import Foundation
import Platform
import Vocabulary

/// ``ExpressGateway`` over Express's internal generated client; its middleware signs each callback over the
/// bytes sent (Standard Webhooks).
struct LiveExpressGateway: ExpressGateway {
    let client: Client

    func standing(ofUserWithEmail email: String) async throws -> PartnerUserStanding {
        switch try await client.lookUpIdentityClaims(body: .json(.init(email: email))) {
        case .ok(let ok):
            guard let claims = try? ok.body.json, let user = UserID(wire: claims.userId),
                let partner = PartnerID(wire: claims.partnerId)
            else { return .unknown }
            return .active(
                user: user, partner: partner, roles: claims.roles.compactMap { PartnerRole(rawValue: $0.rawValue) })
        case .forbidden, .notFound:
            return .inactive
        default:
            return .unknown
        }
    }

    func deliver(_ callback: CareRequestCallback, webhookID: String, at timestamp: Date) async throws {
        let output = try await client.receiveCareRequestCallback(
            headers: .init(
                webhookId: webhookID, webhookTimestamp: String(Int(timestamp.timeIntervalSince1970)),
                webhookSignature: "v1,pending"),
            body: .json(.init(callback)))
        guard case .noContent = output else {
            throw OutboxDeliveryError(statusCode: output.statusCode, "Express answered \(output.statusCode)")
        }
    }
}

extension Operations.ReceiveCareRequestCallback.Output {
    var statusCode: Int {
        switch self {
        case .noContent: 204
        case .badRequest: 400
        case .unauthorized: 401
        case .forbidden: 403
        case .unprocessableContent: 422
        case .serviceUnavailable: 503
        case .undocumented(let statusCode, _): statusCode
        }
    }
}

extension Components.Schemas.CareRequestCallback {
    init(_ callback: CareRequestCallback) {
        self.init(
            event: .careRequest_created, careRequestId: callback.careRequest.wire, partnerId: callback.partner.wire,
            userId: callback.user.wire)
    }
}

extension CareRequestCallback {
    /// The callback as the outbox keeps it (the JSON Express receives).
    init(outboxPayload: Data) throws {
        let wire = try JSONDecoder().decode(Components.Schemas.CareRequestCallback.self, from: outboxPayload)
        guard let careRequest = CareRequestID(wire: wire.careRequestId), let partner = PartnerID(wire: wire.partnerId),
            let user = UserID(wire: wire.userId)
        else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [], debugDescription: "an id in the callback is not a UUID"))
        }
        self.init(careRequest: careRequest, partner: partner, user: user)
    }
}
