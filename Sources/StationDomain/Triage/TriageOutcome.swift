import Foundation
import Vocabulary

/// What a nurse decided for a `pending_triage` care request, checked before anything is written.
package enum TriageOutcome: Sendable, Equatable {
    /// A visit after all: the request becomes `requested` with this window, whose place is reserved.
    case schedule(window: DateInterval, note: String)
    /// Sent to emergency care: the request is closed.
    case emergency(note: String)
    /// Closed for another reason (the patient declined, could not be reached, …).
    case close(reasonCode: String, note: String)

    package enum Kind: String, Sendable, CaseIterable {
        case schedule, emergency, close
    }

    package static let noteMaximum = 2000
    package static let reasonCodeMaximum = 100

    /// Reads a nurse's form, reporting every bad field at once.
    package init(
        kind: Kind, note: String, windowStart: Date?, windowEnd: Date?, reasonCode: String?
    ) throws(FieldErrors) {
        var errors = FieldErrors()
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        if note.isEmpty { errors.add("note", "is required") }
        Validate.text(note, "note", max: Self.noteMaximum, multiline: true, into: &errors)
        switch kind {
        case .schedule:
            if windowStart == nil { errors.add("window_start", "is required to schedule") }
            if windowEnd == nil { errors.add("window_end", "is required to schedule") }
            if let windowStart, let windowEnd, windowEnd <= windowStart {
                errors.add("window_end", "must be after window_start")
            }
            try errors.throwIfAny()
            guard let windowStart, let windowEnd else { throw errors }
            self = .schedule(window: DateInterval(start: windowStart, end: windowEnd), note: note)
        case .emergency:
            try errors.throwIfAny()
            self = .emergency(note: note)
        case .close:
            let code = (reasonCode ?? "").trimmingCharacters(in: .whitespaces)
            if code.isEmpty {
                errors.add("reason_code", "is required to close")
            } else if code.unicodeScalars.count > Self.reasonCodeMaximum
                || !code.unicodeScalars.allSatisfy({
                    $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_")
                })
            {
                errors.add("reason_code", "must be letters, digits and underscores, at most \(Self.reasonCodeMaximum)")
            }
            try errors.throwIfAny()
            self = .close(reasonCode: code.lowercased(), note: note)
        }
    }

    /// The status the request moves to.
    package var status: CareRequestStatus {
        switch self {
        case .schedule: .requested
        case .emergency, .close: .archived
        }
    }

    /// The window to reserve, for a schedule.
    package var window: DateInterval? {
        if case .schedule(let window, _) = self { window } else { nil }
    }

    /// The reason written in the status history (and, for a closed request, shown to the partner).
    package var reason: String {
        switch self {
        case .schedule(_, let note): note
        case .emergency(let note): "emergency_care: \(note)"
        case .close(let code, let note): "\(code): \(note)"
        }
    }
}
