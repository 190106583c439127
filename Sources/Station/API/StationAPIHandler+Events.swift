import Foundation
import Platform
import StationAPI
import StationDomain
import Vocabulary

extension StationAPIHandler {
    func listEvents(_ input: Operations.ListEvents.Input) async throws -> Operations.ListEvents.Output {
        let principal = try caller()
        if let refusal = TokenReach(principal).eventFeedRefusal { throw Problem.forbidden(refusal) }
        let after = input.query.after ?? 0
        guard after >= 0 else {
            throw Problem.badQuery([.init(field: "after", message: "must be 0 or an event id")])
        }
        guard let limit = EventFeed.limit(input.query.limit) else {
            throw Problem.badQuery([
                .init(field: "limit", message: "must be between 1 and \(EventFeed.maximumLimit)")
            ])
        }
        let page = try await store.events(after: after, limit: limit)
        return .ok(.init(body: .json(try .init(page))))
    }
}

extension Components.Schemas.EventPage {
    init(_ page: EventFeed.Page) throws {
        self.init(
            events: try page.events.map(Components.Schemas.CareRequestEvent.init), nextAfter: page.nextAfter,
            hasMore: page.hasMore)
    }
}

extension Components.Schemas.CareRequestEvent {
    init(_ event: CareRequestEvent) throws {
        self.init(
            id: event.id, _type: try .init(mapping: event.type.rawValue), careRequestId: event.careRequest.wire,
            partnerId: event.partner?.wire, oldStatus: try event.oldStatus.map { try .init(mapping: $0.rawValue) },
            newStatus: try .init(mapping: event.newStatus.rawValue),
            window: event.window.map(Components.Schemas.TimeWindow.init),
            eta: event.eta.map(Components.Schemas.TimeWindow.init), at: event.at)
    }
}

extension Components.Schemas.TimeWindow {
    init(_ interval: CareRequestEvent.Interval) { self.init(start: interval.start, end: interval.end) }
}
