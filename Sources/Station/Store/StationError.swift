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
    /// The server's own clock names a date no ``LocalDate`` holds: our fault, never the caller's.
    case clockOutOfRange
}

extension FieldErrors {
    static func single(_ field: String, _ message: String) -> FieldErrors {
        var errors = FieldErrors()
        errors.add(field, message)
        return errors
    }
}
