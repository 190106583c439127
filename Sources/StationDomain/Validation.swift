import Foundation

/// Field rules shared by patients and care requests (and the API edge's headers and queries).
package enum Validate {
    package static func required(_ value: String?, _ field: String, into errors: inout FieldErrors) {
        if (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            errors.add(field, "is required")
        }
    }

    /// A text field holds at most `max` characters (Unicode scalars, as JSON Schema's `maxLength` counts them)
    /// and no control characters: C0, DEL, C1 and the bidirectional overrides and isolates (U+202A–U+202E,
    /// U+2066–U+2069), which let text display as something other than what it is. Free text typed into a
    /// multi-line box (`multiline`) may hold line breaks and tabs, and nothing else of C0.
    package static func text(
        _ value: String?, _ field: String, max: Int, multiline: Bool = false, into errors: inout FieldErrors
    ) {
        guard let value else { return }
        if value.unicodeScalars.count > max {
            errors.add(field, "must be at most \(max) characters long")
        }
        if let bad = value.unicodeScalars.first(where: { isForbidden($0, multiline: multiline) }) {
            errors.add(
                field,
                "must not contain control or bidirectional-override characters (found U+\(String(format: "%04X", bad.value)))"
            )
        }
    }

    package static func isForbidden(_ scalar: Unicode.Scalar, multiline: Bool) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: !multiline
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    package static func phone(_ value: String?, _ field: String, into errors: inout FieldErrors) {
        guard let value, !value.isEmpty else { return }
        let digits = SearchKey.digits(value)
        if !(10...15).contains(digits.count) || value.contains(where: { $0.isLetter }) {
            errors.add(field, "must be a phone number with 10 to 15 digits")
        }
    }

    package static func email(_ value: String?, _ field: String, into errors: inout FieldErrors) {
        guard let value, !value.isEmpty else { return }
        let parts = value.split(separator: "@")
        if parts.count != 2 || !parts[1].contains(".") || value.contains(" ") {
            errors.add(field, "must be an email address such as name@example.com")
        }
    }

    package static func zip(_ value: String, _ field: String, into errors: inout FieldErrors) {
        if value.count != 5 || SearchKey.digits(value).count != 5 {
            errors.add(field, "must be a 5-digit ZIP code")
        }
    }

    package static func state(_ value: String, _ field: String, into errors: inout FieldErrors) {
        if value.count != 2 || !value.allSatisfy({ $0.isASCII && $0.isLetter }) {
            errors.add(field, "must be a two-letter state code such as CO")
        }
    }
}
