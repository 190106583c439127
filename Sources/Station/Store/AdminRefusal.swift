import Foundation
import StationDomain
import Vocabulary

/// What an administration change is refused for besides bad fields; the API turns each into a 409 problem.
enum AdminRefusal: Error, Sendable, Equatable {
    /// A unique value (a partner's slug, a market's or service line's name or code) another row has.
    case taken(field: String, value: String)
    /// A ZIP code that another market serves.
    case zipServed(zip: String, marketID: MarketID, marketName: String)
    /// A closure on a day that has bookings.
    case bookedDay(LocalDate, affected: [CareRequestID])
    /// Fewer places per window than a future window already has booked.
    case capacityBelowBooked(affected: [CareRequestID])
    /// A change to a window of a day the market is closed (the closure's reason).
    case closedDay(LocalDate, reason: String)
}

/// A booking on a day the market is closed.
struct DayClosed: Error, Sendable {
    var day: LocalDate
    var reason: String
}
