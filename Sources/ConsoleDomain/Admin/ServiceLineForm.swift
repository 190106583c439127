/// A new service line as typed: its name, and a short stable code (such as acute_care).
package struct ServiceLineForm: Sendable, Equatable, Codable {
    package var name: String
    package var code: String
    /// As typed: how long a visit of the line lasts, in minutes.
    package var visitMinutes: String

    package init(name: String = "", code: String = "", visitMinutes: String = "60") {
        self.name = name
        self.code = code
        self.visitMinutes = visitMinutes
    }

    package enum Field {
        package static let name = "name"
        package static let code = "code"
        package static let visitMinutes = "visit_minutes"
        package static let all: Set<String> = [name, code, visitMinutes]
    }

    /// Visits last from ten minutes to a whole working day, as Station takes them.
    package static let visitMinutesRange = 10...480

    /// A typed visit length in whole minutes, or why it is not one.
    package static func visitMinutes(_ typed: String) throws(FormErrors) -> Int {
        guard let minutes = Int(FormText.trimmed(typed)), visitMinutesRange.contains(minutes) else {
            var errors = FormErrors()
            errors.add(
                Field.visitMinutes,
                "Enter the visit length in whole minutes, from \(visitMinutesRange.lowerBound) to \(visitMinutesRange.upperBound)."
            )
            throw errors
        }
        return minutes
    }

    package static let codeLengths = 2...40

    /// The service line, or every reason it cannot be added.
    package func validated() throws(FormErrors) -> NewServiceLine {
        var errors = FormErrors()
        let name = FormText.line(
            FormText.trimmed(self.name), Field.name, label: "the service line's name", max: 100, into: &errors)
        let code = FormText.trimmed(self.code).lowercased()
        if code.isEmpty {
            errors.add(Field.code, "Enter a short code, such as acute_care.")
        } else if !Self.codeLengths.contains(code.unicodeScalars.count)
            || code.unicodeScalars.first.map({ ("a"..."z").contains($0) }) != true
            || !code.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
        {
            errors.add(
                Field.code, "Use 2 to 40 lowercase letters (a–z), digits and underscores, starting with a letter.")
        }
        var minutes = 0
        do {
            minutes = try Self.visitMinutes(visitMinutes)
        } catch {
            if let message = error[Field.visitMinutes] { errors.add(Field.visitMinutes, message) }
        }
        try errors.throwIfAny()
        guard let name else { throw errors }
        return NewServiceLine(name: name, code: code, visitMinutes: minutes)
    }
}

package struct NewServiceLine: Sendable, Equatable {
    package var name: String
    package var code: String
    package var visitMinutes: Int

    package init(name: String, code: String, visitMinutes: Int) {
        self.name = name
        self.code = code
        self.visitMinutes = visitMinutes
    }
}
