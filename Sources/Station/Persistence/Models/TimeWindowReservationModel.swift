import Fluent
import Foundation

/// How much of one market time window is booked. Reservations only ever go through a conditional
/// update (`booked < capacity`), so a window cannot be overbooked under any concurrency.
final class TimeWindowReservationModel: Model, @unchecked Sendable {
    static let schema = "time_window_reservations"

    @ID(key: .id) var id: UUID?
    @Field(key: "market_id") var marketID: UUID
    @Field(key: "window_start") var windowStart: Date
    @Field(key: "window_end") var windowEnd: Date
    @Field(key: "capacity") var capacity: Int
    @Field(key: "booked") var booked: Int

    init() {}
}
