import ExpressInternalAPI
import Fluent
import Foundation
import Platform
import Vocabulary

extension InternalAPIHandler {
    /// Station's push of one event; its signature was checked by ``WebhookVerificationMiddleware`` (no bearer token).
    func receiveStationEvent(_ input: Operations.ReceiveStationEvent.Input) async throws
        -> Operations.ReceiveStationEvent.Output
    {
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the event as JSON.") }
        try await service.receive(try CareRequestEvent(body.data), webhookID: input.headers.webhookId)
        return .noContent(.init())
    }
}

extension ExpressService {
    /// Acts on one event of Station's exactly once per `webhookID`: first what the emails need of Station (the
    /// visit's calendar, outside the transaction), then in one transaction its receipt, its row for the live pages
    /// (partners' requests only) and ``react(to:calendar:on:)``; after the commit, this instance's open pages hear
    /// of it (the other instances' through their ``LiveEventRelay``). Returns whether it was new.
    @discardableResult
    func receive(_ event: CareRequestEvent, webhookID: String) async throws -> Bool {
        let at = now()
        let live = event.partner.map {
            LiveEvent(id: event.id, topic: $0.wire, careRequest: event.careRequest, created: event.type == .created)
        }
        let calendar = try await notificationCalendar(for: event)
        let fresh = try await write { db in
            guard try await Receipts.claim(webhookID, in: WebhookReceiptModel.schema, at: at, on: db) else {
                return false
            }
            if let live { try await LiveEventStore.record(live, receivedAt: at, on: db) }
            try await react(to: event, calendar: calendar, on: db)
            return true
        }
        if fresh, let live { self.live.publish(live, at: at) }
        return fresh
    }
}
