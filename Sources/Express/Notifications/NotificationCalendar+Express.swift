import ExpressDomain
import Foundation
import Platform
import Vocabulary

extension ExpressService {
    /// The visit's `.ics` the emails about `event` attach (``NotificationCalendar``): read from Station, partner
    /// scoped, for its calendar sequence and current window. Asked before the transaction that queues the emails, so
    /// no call to Station holds the write gate, and only when someone is to be emailed. Station not answering
    /// throws, and its push is retried.
    func notificationCalendar(for event: CareRequestEvent) async throws -> VisitCalendarEvent? {
        guard let partner = event.partner, NotificationCalendar.attaches(event),
            try await !toldReaders(of: event, partner: partner, on: db).readers.isEmpty,
            let detail = try await station.careRequest(partner: partner, id: event.careRequest)
        else { return nil }
        return NotificationCalendar.visit(
            for: event, sequence: detail.calendarSequence,
            window: detail.timeWindow.map { NotificationCalendar.interval($0.start, $0.end) }, status: detail.status,
            url: "\(config.publicURL)/care-requests/\(event.careRequest.wire)", stamp: now())
    }
}
