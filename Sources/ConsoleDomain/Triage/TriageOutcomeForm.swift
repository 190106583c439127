import Foundation

/// What a nurse decided after the call, as typed into one of the outcome forms, before it goes to Station.
package struct TriageOutcomeForm: Sendable, Equatable {
    package enum Outcome: String, Sendable, CaseIterable {
        case schedule
        case emergency
        case close
    }

    /// The reasons a nurse may close a request with, as Station's archive reason names them.
    package enum CloseReason: String, Sendable, CaseIterable {
        case patientDeclined = "patient_declined"
        case noAnswer = "no_answer"
        case duplicate
        case notHomeCare = "not_home_care"
        case other

        package var label: String {
            switch self {
            case .patientDeclined: "Patient declined"
            case .noAnswer: "No answer"
            case .duplicate: "Duplicate request"
            case .notHomeCare: "Not a home-care need"
            case .other: "Other"
            }
        }
    }

    /// The fields a form can get wrong, each named as its input is.
    package enum Field: String, Sendable, CaseIterable {
        case note
        case window
        case reasonCode = "reason_code"
    }

    /// A valid outcome, ready for Station.
    package enum Decision: Sendable, Equatable {
        case schedule(DateInterval, note: String)
        case emergency(note: String)
        case close(CloseReason, note: String)
    }

    package static let noteLength = 1...2000

    package var outcome: Outcome
    package var note: String
    /// The chosen window as the form carries it (``windowValue(_:)``).
    package var window: String?
    package var reasonCode: String?

    package init(outcome: Outcome, note: String, window: String? = nil, reasonCode: String? = nil) {
        self.outcome = outcome
        self.note = note
        self.window = window
        self.reasonCode = reasonCode
    }

    /// A window as a form value: its ISO 8601 start and end joined by `/` (ISO 8601's interval notation).
    package static func windowValue(_ window: DateInterval) -> String {
        "\(window.start.formatted(.iso8601))/\(window.end.formatted(.iso8601))"
    }

    /// Reads ``windowValue(_:)``; nil unless it names a start before its end.
    package static func window(from value: String) -> DateInterval? {
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2,
            let start = try? Date(String(parts[0]), strategy: .iso8601),
            let end = try? Date(String(parts[1]), strategy: .iso8601),
            start < end
        else { return nil }
        return DateInterval(start: start, end: end)
    }

    /// The decision, or every field's problem at once.
    package func validate() -> Result<Decision, Problems> {
        var problems = Problems()
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        if note.isEmpty {
            problems[.note] = "Write a note about the call."
        } else if note.unicodeScalars.count > Self.noteLength.upperBound {
            problems[.note] = "The note must be at most \(Self.noteLength.upperBound) characters long."
        }
        var decision: Decision?
        switch outcome {
        case .schedule:
            if let interval = window.flatMap(Self.window(from:)) {
                decision = .schedule(interval, note: note)
            } else {
                problems[.window] = "Choose a time window."
            }
        case .emergency:
            decision = .emergency(note: note)
        case .close:
            if let reason = reasonCode.flatMap(CloseReason.init(rawValue:)) {
                decision = .close(reason, note: note)
            } else {
                problems[.reasonCode] = "Choose why the request is closed."
            }
        }
        guard problems.isEmpty, let decision else { return .failure(problems) }
        return .success(decision)
    }

    /// Each bad field's message, in the order of ``Field``.
    package struct Problems: Error, Sendable, Equatable {
        package private(set) var messages: [Field: String] = [:]

        package init() {}

        package var isEmpty: Bool { messages.isEmpty }

        package subscript(field: Field) -> String? {
            get { messages[field] }
            set { messages[field] = newValue }
        }
    }
}
