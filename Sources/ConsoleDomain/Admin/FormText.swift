import Foundation

/// How a typed value is read and which text a field refuses, shared by every admin form.
package enum FormText {
    /// The value without surrounding spaces and line breaks.
    package static func trimmed(_ value: String?) -> String {
        (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A required single-line text of at most `max` characters, without control or bidirectional-override
    /// characters (which let text display as something other than what it is); nil (and a message) otherwise.
    package static func line(
        _ value: String, _ field: String, label: String, max: Int, required: Bool = true, into errors: inout FormErrors
    ) -> String? {
        if value.isEmpty {
            if required { errors.add(field, "Enter \(label).") }
            return required ? nil : value
        }
        if value.unicodeScalars.count > max {
            errors.add(field, "Use at most \(max) characters.")
            return nil
        }
        if value.unicodeScalars.contains(where: isForbidden) {
            errors.add(field, "Remove the control or invisible formatting characters.")
            return nil
        }
        return value
    }

    package static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// An email address, lowercased; nil (and a message) when it is not one.
    package static func email(_ value: String, _ field: String, into errors: inout FormErrors) -> String? {
        let email = value.lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard !email.isEmpty else {
            errors.add(field, "Enter an email address.")
            return nil
        }
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix("."), email.unicodeScalars.count <= 254,
            !email.contains(where: { $0.isWhitespace }), !email.unicodeScalars.contains(where: isForbidden)
        else {
            errors.add(field, "Enter an email address such as name@example.com.")
            return nil
        }
        return email
    }

    /// A whole number in `range`; nil (and a message) otherwise.
    package static func number(
        _ value: String, _ field: String, label: String, in range: ClosedRange<Int>, into errors: inout FormErrors
    ) -> Int? {
        guard !value.isEmpty else {
            errors.add(field, "Enter \(label).")
            return nil
        }
        guard value.count <= 6, value.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(value),
            range.contains(number)
        else {
            errors.add(field, "Enter a whole number from \(range.lowerBound) to \(range.upperBound).")
            return nil
        }
        return number
    }
}
