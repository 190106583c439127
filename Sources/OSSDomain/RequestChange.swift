import Foundation
import Vocabulary

/// A partner's or patient's change to a care request they made, as they choose it on OSS's change pages: what
/// they chose (kept in their session between the pages, never in a URL) and the rules it must meet before Station
/// is asked. Station decides the rest (whether the request may still change, whether the window has room).
package enum RequestChange {
    /// A new time, and perhaps a new visit address, for the visit.
    package struct Reschedule: Codable, Equatable, Sendable {
        package var window: Draft.TimeWindow?
        /// A new visit address; nil keeps the current one.
        package var address: Draft.VisitAddress?
        /// The market that visits the new address (nil: the request's own market).
        package var market: Draft.Market?
        /// The `Idempotency-Key` Station's reschedule goes with: one per choice, so a double submit replays.
        package var idempotencyKey: String
        /// Sent to Station: confirming again replays it (same key) instead of asking for a new change.
        package var sent: Bool

        package init(
            window: Draft.TimeWindow? = nil, address: Draft.VisitAddress? = nil, market: Draft.Market? = nil,
            idempotencyKey: String, sent: Bool = false
        ) {
            self.window = window
            self.address = address
            self.market = market
            self.idempotencyKey = idempotencyKey
            self.sent = sent
        }
    }

    /// A cancellation with its reason and an optional note (free text: kept for Station only, never logged).
    package struct Cancel: Codable, Equatable, Sendable {
        package var reason: CancellationReason?
        package var note: String
        package var idempotencyKey: String
        /// Sent to Station: confirming again replays it (same key).
        package var sent: Bool

        package init(
            reason: CancellationReason? = nil, note: String = "", idempotencyKey: String, sent: Bool = false
        ) {
            self.reason = reason
            self.note = note
            self.idempotencyKey = idempotencyKey
            self.sent = sent
        }
    }

    /// What a form got wrong, a message beside each bad field (by the form's field name).
    package typealias FieldErrors = [String: String]

    /// At most this many characters of note go to Station with a cancellation.
    package static let noteLimit = 500

    /// Records the window posted (`start|end`) on `change`; it must be a window, and not the current one.
    package static func choose(
        window posted: String?, in change: inout Reschedule, current: Draft.TimeWindow?, zone: TimeZone
    ) -> FieldErrors {
        guard let posted, let window = Draft.TimeWindow(formValue: posted, zone: zone) else {
            change.window = nil
            return ["window_start": "Choose a new time window."]
        }
        change.window = window
        if let current, current.start == window.start, current.end == window.end, change.address == nil {
            return ["window_start": "This is the visit's time now. Choose another window, or keep it as it is."]
        }
        return [:]
    }

    /// The new visit address as posted, and what is wrong with it (the address step's rules).
    package static func address(_ form: [String: String]) -> (Draft.VisitAddress, FieldErrors) {
        func text(_ field: Draft.Field) -> String {
            String((form[field.rawValue] ?? "").prefix(200)).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let address = Draft.VisitAddress(
            line1: text(.line1), line2: text(.line2), city: text(.city), state: text(.state).uppercased(),
            zip: text(.zip))
        let errors = StepRules.validate(.location, Draft.Answers(address: address), audience: .partner)
        return (address, Dictionary(uniqueKeysWithValues: errors.map { ($0.key.rawValue, $0.value) }))
    }

    /// Records the reason and note posted on `change`: a reason from the list is required, the note is optional.
    package static func choose(reason posted: String?, note: String?, in change: inout Cancel) -> FieldErrors {
        change.reason = posted.flatMap(CancellationReason.init(rawValue:))
        change.note = (note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var errors: FieldErrors = [:]
        if change.reason == nil { errors["reason"] = "Choose why the visit is cancelled." }
        if change.note.count > noteLimit {
            errors["note"] = "Use at most \(noteLimit) characters."
        }
        return errors
    }
}
