import ExpressInternalAPI
import Platform
import Vocabulary

extension CareRequestEvent {
    /// Station's event as the internal API's generated type carries it.
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
            throw Problem.validation([.init(field: "data.type", message: "is not an event type Express knows")])
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
