/// A new service line as typed: its name, and a short stable code (such as acute_care).
package struct ServiceLineForm: Sendable, Equatable, Codable {
    package var name: String
    package var code: String

    package init(name: String = "", code: String = "") {
        self.name = name
        self.code = code
    }

    package enum Field {
        package static let name = "name"
        package static let code = "code"
        package static let all: Set<String> = [name, code]
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
        try errors.throwIfAny()
        guard let name else { throw errors }
        return NewServiceLine(name: name, code: code)
    }
}

package struct NewServiceLine: Sendable, Equatable {
    package var name: String
    package var code: String

    package init(name: String, code: String) {
        self.name = name
        self.code = code
    }
}
