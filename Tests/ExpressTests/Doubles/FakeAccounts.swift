import ExpressDomain
import Foundation
import TestSupport

/// Identity's management API as a test stubs it: it answers only for the emails the test named, records the
/// accounts it made, and fails the test on any other.
final class FakeAccounts: AccountProvisioner, @unchecked Sendable {
    enum Answer {
        /// The account is made; the new user gets this set-password link.
        case created(setPasswordURL: String)
        /// The identity provider already has a sign-in account for the email.
        case exists
    }

    private let lock = NSLock()
    private var answers: [String: Answer] = [:]
    private var made: [String] = []
    let unexpected = UnexpectedCalls()

    func stub(_ email: String, _ answer: Answer) { lock.withLock { answers[email] = answer } }

    /// The emails accounts were made for, in order.
    var created: [String] { lock.withLock { made } }

    func createAccount(email: String, name: String) async throws -> ProvisionedAccount {
        switch lock.withLock({ answers[email] }) {
        case .created(let link):
            lock.withLock { made.append(email) }
            return ProvisionedAccount(setPasswordURL: link)
        case .exists:
            throw AccountExists()
        case nil:
            unexpected.record("Identity.createAccount(email: \(email))")
            throw ServiceUnavailable(service: "Identity", description: "not stubbed")
        }
    }
}
