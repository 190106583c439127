import Foundation

/// Normalized keys for case- and accent-insensitive prefix search.
///
/// Keys keep only ASCII letters and digits after folding, so "Ëlëanor Whit-field" and "eleanor whitfield"
/// share a key, and a plain byte-order range (`key >= q AND key < q + "{"`) is a prefix match that any
/// B-tree index serves on SQLite and PostgreSQL alike.
package enum SearchKey {
    package static func name(_ text: String) -> String {
        text.folding(
            options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive],
            locale: Locale(identifier: "en_US_POSIX")
        )
        .lowercased()
        .unicodeScalars
        .filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        .map(String.init)
        .joined()
    }

    package static func digits(_ text: String) -> String {
        String(text.unicodeScalars.filter { ("0"..."9").contains($0) }.map(Character.init))
    }

    /// The exclusive upper bound of the prefix range that starts at `key`.
    package static func upperBound(of key: String) -> String { key + "{" }
}

/// What a patient search string asks for.
package enum PatientQuery: Equatable, Sendable {
    /// An exact date of birth, as ISO `YYYY-MM-DD`.
    case dateOfBirth(String)
    /// A prefix of the name, phone digits or MRN.
    case prefix(name: String, digits: String)

    package struct Empty: Error {}

    package init(_ raw: String) throws(Empty) {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if let iso = Self.isoDate(text) {
            self = .dateOfBirth(iso)
            return
        }
        let name = SearchKey.name(text)
        guard !name.isEmpty else { throw Empty() }
        let digits = SearchKey.digits(text)
        // Digits inside a name ("Smith 2") are not a phone number; only a mostly-numeric string is.
        let isNumeric = !digits.isEmpty && digits.count * 2 >= name.count
        self = .prefix(name: name, digits: isNumeric ? digits : "")
    }

    private static func isoDate(_ text: String) -> String? {
        let parts: [Int]
        if text.count == 10, text.dropFirst(4).first == "-" {
            parts = text.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3 else { return nil }
            return LocalDate(year: parts[0], month: parts[1], day: parts[2])?.iso
        }
        if text.contains("/") {
            parts = text.split(separator: "/").compactMap { Int($0) }
            guard parts.count == 3, parts[2] > 999 else { return nil }
            return LocalDate(year: parts[2], month: parts[0], day: parts[1])?.iso
        }
        return nil
    }
}
