import Foundation
import Vocabulary

/// What a dispatcher typed that the board cannot send, per field, in words for the form.
package struct BoardFormErrors: Error, Sendable, Equatable {
    package var fields: [Field: String]

    package enum Field: String, Sendable, Codable {
        case etaDate = "eta_date"
        case etaStart = "eta_start"
        case etaEnd = "eta_end"
        case reason
        case places
    }

    package init(_ fields: [Field: String]) { self.fields = fields }

    package subscript(field: Field) -> String? { fields[field] }
}

/// An arrival estimate as typed: a market-local day and two "HH:MM" times.
package struct ArrivalEstimateForm: Sendable, Equatable {
    /// The longest estimate the board accepts.
    package static let longest: TimeInterval = 12 * 3600

    package var date: String
    package var start: String
    package var end: String

    package init(date: String, start: String, end: String) {
        self.date = date
        self.start = start
        self.end = end
    }

    /// The estimate as instants in the market's zone: end after start, at most 12 hours.
    package func interval(in timeZone: TimeZone) throws(BoardFormErrors) -> DateInterval {
        var errors: [BoardFormErrors.Field: String] = [:]
        let day = LocalDate(iso: date.trimmingCharacters(in: .whitespaces)).map {
            BoardDay(date: $0, timeZone: timeZone)
        }
        if day == nil { errors[.etaDate] = "Enter the day of arrival as YYYY-MM-DD." }
        let startMinutes = BoardDay.minutes(start)
        let endMinutes = BoardDay.minutes(end)
        if startMinutes == nil { errors[.etaStart] = "Enter the earliest arrival as HH:MM." }
        if endMinutes == nil { errors[.etaEnd] = "Enter the latest arrival as HH:MM." }
        guard errors.isEmpty, let day, let startMinutes, let endMinutes,
            let from = day.instant(minutesAfterMidnight: startMinutes),
            let to = day.instant(minutesAfterMidnight: endMinutes)
        else { throw BoardFormErrors(errors) }
        guard to > from else { throw BoardFormErrors([.etaEnd: "The latest arrival must be after the earliest."]) }
        guard to.timeIntervalSince(from) <= Self.longest else {
            throw BoardFormErrors([.etaEnd: "An arrival estimate may span at most 12 hours."])
        }
        return DateInterval(start: from, end: to)
    }
}

/// A window's places for one day as typed: 0 closes it.
package struct CapacityForm: Sendable, Equatable {
    package static let places = 0...100

    package var places: String

    package init(places: String) { self.places = places }

    package func value() throws(BoardFormErrors) -> Int {
        guard let value = Int(places.trimmingCharacters(in: .whitespaces)), Self.places.contains(value) else {
            throw BoardFormErrors([.places: "Enter the places as a whole number from 0 (closed) to 100."])
        }
        return value
    }
}

/// A move as the board sends it to Station: the target, the status the dispatcher saw, and what the move needs.
package struct BoardMoveRequest: Sendable, Equatable {
    /// Station keeps a reason of at most this many characters.
    package static let longestReason = 500

    package var target: CareRequestStatus
    package var expected: CareRequestStatus
    package var eta: DateInterval?
    package var reason: String?

    /// Checks a submitted move: schedule needs an arrival estimate, archive a reason.
    package init(
        move: BoardMove, expected: CareRequestStatus, estimate: ArrivalEstimateForm?, reason: String?,
        timeZone: TimeZone
    ) throws(BoardFormErrors) {
        target = move.target
        self.expected = expected
        if move.needsArrivalEstimate {
            eta = try (estimate ?? ArrivalEstimateForm(date: "", start: "", end: "")).interval(in: timeZone)
        }
        if move.needsReason {
            let text = (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { throw BoardFormErrors([.reason: "Say why the request is archived."]) }
            guard text.count <= Self.longestReason else {
                throw BoardFormErrors([.reason: "Keep the reason to \(Self.longestReason) characters."])
            }
            self.reason = text
        }
    }
}
