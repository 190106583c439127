import Foundation
import OSSAPI
import Platform
import Vocabulary

extension HandoffAPIHandler {
    /// Station's push of one event (`POST /internal/v1/station-events`); its signature was checked by
    /// ``WebhookVerificationMiddleware`` with `STATION_EVENTS_SECRET` (no bearer token). Answers 204 when handled
    /// or handled before; ``PatientNotifications`` decides whether a patient is emailed.
    func receiveStationEvent(_ input: Operations.ReceiveStationEvent.Input) async throws
        -> Operations.ReceiveStationEvent.Output
    {
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the event as JSON.") }
        try await PatientNotifications(service: service).receive(
            CareRequestEventEnvelope(try CareRequestEvent(body.data)), webhookID: input.headers.webhookId)
        return .noContent(.init())
    }

    /// Operations a signature authenticates instead of a bearer token.
    static let signedWithoutBearer: Set<String> = ["receiveStationEvent"]

    /// Each signed operation's key. Without a configured secret nothing verifies (a random key nobody has), never
    /// an empty key anyone could sign with.
    static func signatures(_ config: OSSConfig) -> [String: WebhookSignature] {
        let secret = config.stationEventsSecret.isEmpty ? Secrets.randomToken() : config.stationEventsSecret
        return ["receiveStationEvent": WebhookSignature(secret: secret)]
    }
}

extension CareRequestEvent {
    /// Station's event as OSS's API document carries it.
    init(_ event: Components.Schemas.CareRequestEvent) throws {
        guard let careRequest = CareRequestID(wire: event.careRequestId) else {
            throw Problem.validation([.init(field: "data.care_request_id", message: "must be a care request id")])
        }
        var partner: PartnerID?
        if let wire = event.partnerId {
            guard let id = PartnerID(wire: wire) else {
                throw Problem.validation([.init(field: "data.partner_id", message: "must be a partner id")])
            }
            partner = id
        }
        guard let type = Kind(rawValue: event._type.rawValue),
            let newStatus = CareRequestStatus(rawValue: event.newStatus.rawValue)
        else {
            throw Problem.validation([.init(field: "data.type", message: "is not an event type OSS knows")])
        }
        self.init(
            id: event.id, type: type, careRequest: careRequest, partner: partner,
            oldStatus: event.oldStatus.flatMap { CareRequestStatus(rawValue: $0.rawValue) }, newStatus: newStatus,
            window: event.window.map(Interval.init), eta: event.eta.map(Interval.init), at: event.at)
    }
}

extension CareRequestEvent.Interval {
    init(_ interval: Components.Schemas.TimeInterval) { self.init(start: interval.start, end: interval.end) }
}
