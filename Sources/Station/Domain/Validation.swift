import Foundation

/// Field rules shared by patients and care requests.
enum Validate {
    static func required(_ value: String?, _ field: String, into errors: inout FieldErrors) {
        if (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            errors.add(field, "is required")
        }
    }

    static func phone(_ value: String?, _ field: String, into errors: inout FieldErrors) {
        guard let value, !value.isEmpty else { return }
        let digits = SearchKey.digits(value)
        if !(10...15).contains(digits.count) || value.contains(where: { $0.isLetter }) {
            errors.add(field, "must be a phone number with 10 to 15 digits")
        }
    }

    static func email(_ value: String?, _ field: String, into errors: inout FieldErrors) {
        guard let value, !value.isEmpty else { return }
        let parts = value.split(separator: "@")
        if parts.count != 2 || !parts[1].contains(".") || value.contains(" ") {
            errors.add(field, "must be an email address such as name@example.com")
        }
    }

    static func zip(_ value: String, _ field: String, into errors: inout FieldErrors) {
        if value.count != 5 || SearchKey.digits(value).count != 5 {
            errors.add(field, "must be a 5-digit ZIP code")
        }
    }

    static func state(_ value: String, _ field: String, into errors: inout FieldErrors) {
        if value.count != 2 || !value.allSatisfy({ $0.isASCII && $0.isLetter }) {
            errors.add(field, "must be a two-letter state code such as CO")
        }
    }
}
