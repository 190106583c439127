import Foundation

// STUB (issue 16, recovery/sign-up owner): NIST SP 800-63B rules, per CONTRACTS16.md.
/// What a new password must be: at least 12 characters, no composition rules, not among the common passwords,
/// not containing the email's name part.
package struct PasswordRules: Sendable {
    package init(commonPasswords: Set<String>) { self.commonPasswords = commonPasswords }
    package var commonPasswords: Set<String>

    /// Nil when `password` is acceptable for `email`; else the sentence that says what to change.
    package func problem(with password: String, email: String) -> String? {
        password.count >= 12 ? nil : "Choose a password of at least 12 characters."
    }
}
