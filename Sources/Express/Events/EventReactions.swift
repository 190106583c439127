import Fluent
import Platform
import Vocabulary

extension ExpressService {
    /// What Express does with each event Station pushes, in the same transaction as the event's receipt (so an
    /// event is acted on exactly once): queue the emails people asked for and the partner's webhook deliveries.
    /// Live pages hear of the event from the receipt itself (Events/). `calendar`: the visit's `.ics` the emails
    /// attach, asked of Station before the transaction (``notificationCalendar(for:)``).
    func react(to event: CareRequestEvent, calendar: VisitCalendarEvent?, on db: any Database) async throws {
        try await queueNotifications(for: event, calendar: calendar, on: db)
        try await queueWebhookDeliveries(for: event, on: db)
    }
}
