import StationDomain
import Vocabulary

/// What the store refuses, in domain words; the API turns each into a problem response.
enum StationError: Error, Sendable {
    case notFound(String)
    case invalid(FieldErrors)
    case windowFull(next: [WindowAvailability])
    /// The `Idempotency-Key` was used before with another body.
    case idempotencyKeyReused
    /// A request with the same `Idempotency-Key` is still running.
    case idempotencyKeyInFlight
    case transition(StatusTransition.Refusal)
    /// The request is no longer in the status the caller saw (another person moved it first).
    case statusConflict(StatusConflict)
    /// A window's places may not drop below what is booked: these requests hold them.
    case capacityBelowBooked(affected: [CareRequestID])
    /// A partner's or patient's change to a request that is no longer theirs to change (the API adds the number
    /// to call).
    case changeClosed(RequesterChange.Closed)
    /// Only an open, booked request past triage is planned, so only its visit can run longer or be moved.
    case visitNotPlanned(NotPlanned)

    enum NotPlanned: Sendable, Equatable {
        /// In triage, complete or archived.
        case status(CareRequestStatus)
        /// No time window booked.
        case noWindow
        /// Booked, but the day's plan does not fit it, so it has no place in a route.
        case unplanned
    }
    /// Stops are ordered by hand only on a day that follows accepted routes.
    case planNotAccepted
    /// Moving a stop to a team breaks the day's plan (the team cannot make it, or others no longer fit).
    case moveBreaksPlan(PlanBreak)
    /// A day's plan is no longer the one the dispatcher accepted: bookings, teams or shifts changed since.
    case planChanged
    /// The server's own clock names a date no ``LocalDate`` holds: our fault, never the caller's.
    case clockOutOfRange
}
