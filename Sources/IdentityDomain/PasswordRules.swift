import Foundation

/// What a new password must be, after NIST SP 800-63B: at least 12 characters and at most 128, no composition
/// rules (no demands for digits or symbols), not among the common passwords, and not containing the name part of
/// the account's email.
package struct PasswordRules: Sendable {
    package static let minimumLength = 12
    package static let maximumLength = 128

    /// Lowercase passwords that are refused however long they are.
    package var commonPasswords: Set<String>

    package init(commonPasswords: Set<String>) {
        self.commonPasswords = Set(commonPasswords.map { $0.lowercased() })
    }

    /// Reads a list of one password a line; empty lines and lines starting with `#` (the source and licence) are
    /// skipped.
    package init(commonPasswordList text: String) {
        var passwords: Set<String> = []
        for line in text.split(whereSeparator: \.isNewline) {
            let entry = line.trimmingCharacters(in: .whitespaces)
            if entry.isEmpty || entry.hasPrefix("#") { continue }
            passwords.insert(entry.lowercased())
        }
        commonPasswords = passwords
    }

    /// Why a password is refused.
    package enum Problem: Sendable, Equatable {
        case tooShort
        case tooLong
        case common
        case containsEmailName

        /// The sentence shown beside the password field.
        package var message: String {
            switch self {
            case .tooShort: "Choose a password of at least 12 characters."
            case .tooLong: "Choose a password of at most 128 characters."
            case .common:
                "This password is too common. Choose one that is harder to guess — a few unrelated words work well."
            case .containsEmailName: "Your password must not contain your email address's name."
            }
        }
    }

    /// The first rule `password` breaks for an account with `email`, or nil when it is acceptable.
    package func violation(of password: String, email: String) -> Problem? {
        // Characters, not bytes or UTF-16 units: "é" or an emoji counts once, as a person counts it.
        if password.count < Self.minimumLength { return .tooShort }
        if password.count > Self.maximumLength { return .tooLong }
        let lowered = password.lowercased()
        if commonPasswords.contains(lowered) { return .common }
        let name = Self.namepart(of: email)
        if name.count >= 3, lowered.contains(name) { return .containsEmailName }
        return nil
    }

    /// Nil when `password` is acceptable for `email`; else the sentence that says what to change.
    package func problem(with password: String, email: String) -> String? {
        violation(of: password, email: email)?.message
    }

    /// The part of an email address before its last `@`, trimmed and lowercased.
    static func namepart(of email: String) -> String {
        let trimmed = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard let at = trimmed.lastIndex(of: "@") else { return trimmed }
        return String(trimmed[..<at])
    }
}
