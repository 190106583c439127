import Foundation
import Vocabulary

/// A market closure (a holiday) as typed.
package struct ClosureForm: Sendable, Equatable, Codable {
    package var date: String
    package var reason: String

    package init(date: String = "", reason: String = "") {
        self.date = date
        self.reason = reason
    }

    package enum Field {
        package static let date = "date"
        package static let reason = "reason"
        package static let all: Set<String> = [date, reason]
    }

    /// The closure, or every reason it cannot be added.
    package func validated() throws(FormErrors) -> Closure {
        var errors = FormErrors()
        let day = LocalDate(iso: FormText.trimmed(date))
        if day == nil { errors.add(Field.date, "Enter the date as YYYY-MM-DD, such as 2026-12-25.") }
        let reason = FormText.line(
            FormText.trimmed(self.reason), Field.reason, label: "the reason, such as a holiday", max: 200,
            into: &errors)
        try errors.throwIfAny()
        guard let day, let reason else { throw errors }
        return Closure(date: day, reason: reason)
    }
}

/// A day a market takes no bookings, and why.
package struct Closure: Sendable, Equatable {
    package var date: LocalDate
    package var reason: String

    package init(date: LocalDate, reason: String) {
        self.date = date
        self.reason = reason
    }
}
