import IdentityDomain
import Testing

@testable import Identity

@Suite("Password rules after NIST SP 800-63B")
struct PasswordRulesTests {
    let rules = PasswordRules(commonPasswords: ["correcthorsebattery", "QWERTY123456"])

    @Test("twelve characters are enough and eleven are not, counted as a person counts them")
    func length() {
        #expect(rules.violation(of: "abcdefghijk", email: "pat@example.com") == .tooShort)
        #expect(rules.violation(of: "abcdefghijkl", email: "pat@example.com") == nil)
        // Eleven accented letters are 22 bytes but eleven characters.
        #expect(rules.violation(of: String(repeating: "é", count: 11), email: "pat@example.com") == .tooShort)
        #expect(
            rules.problem(with: "short", email: "pat@example.com") == "Choose a password of at least 12 characters.")
    }

    @Test("at most 128 characters")
    func maximum() {
        #expect(rules.violation(of: String(repeating: "a", count: 128) + "b", email: "pat@example.com") == .tooLong)
        #expect(rules.violation(of: String(repeating: "ab", count: 64), email: "pat@example.com") == nil)
    }

    @Test("no composition rules: lowercase letters and spaces alone are accepted")
    func noComposition() {
        #expect(rules.violation(of: "purple tuesday lantern", email: "pat@example.com") == nil)
    }

    @Test("a common password is refused whatever its case")
    func common() {
        #expect(rules.violation(of: "CorrectHorseBattery", email: "pat@example.com") == .common)
        #expect(rules.violation(of: "qwerty123456", email: "pat@example.com") == .common)
        #expect(
            rules.problem(with: "qwerty123456", email: "pat@example.com")
                == "This password is too common. Choose one that is harder to guess — a few unrelated words work well.")
    }

    @Test("a password containing the email's name part is refused, when that part has three characters or more")
    func emailName() {
        #expect(rules.violation(of: "my-Walter.Jones-secret", email: "walter.jones@example.com") == .containsEmailName)
        #expect(
            rules.problem(with: "xxwalter.jonesxx", email: "Walter.Jones@example.com")
                == "Your password must not contain your email address's name.")
        // A two-letter name part is too short to refuse anything by.
        #expect(rules.violation(of: "jo-likes-long-walks", email: "jo@example.com") == nil)
    }

    @Test("the list's comment and blank lines are skipped")
    func listParsing() {
        let parsed = PasswordRules(commonPasswordList: "# source and licence\n\nSunshine1234\r\nletmein12345\n")
        #expect(parsed.commonPasswords == ["sunshine1234", "letmein12345"])
    }

    @Test("the bundled list holds at least 10,000 common passwords and refuses a well-known one")
    func bundled() {
        #expect(PasswordRules.bundled.commonPasswords.count >= 10_000)
        #expect(PasswordRules.bundled.violation(of: "1qaz2wsx3edc", email: "pat@example.com") == .common)
        #expect(!PasswordRules.bundled.commonPasswords.contains { $0.hasPrefix("#") })
    }
}
