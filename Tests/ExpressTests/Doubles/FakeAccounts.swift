import ExpressDomain
import Foundation
import TestSupport

/// Identity's management API as a test stubs it: an in-memory set of accounts (the harness adds the demo users'),
/// new accounts only for the emails the test named, and a test failure for any call about an account or email it
/// was not given. `down` makes every call fail as an unreachable Identity does.
final class FakeAccounts: AccountProvisioner, @unchecked Sendable {
    enum Answer {
        /// The account is made; the new user gets this set-password link.
        case created(setPasswordURL: String)
        /// The identity provider already has a sign-in account for the email.
        case exists
    }

    /// A change asked of an account.
    struct Update: Equatable {
        var account: String
        var name: String?
        var email: String?
        var active: Bool?
    }

    /// What an invitation email would name.
    struct Invited: Equatable {
        var email: String
        var organization: String
        var invitedBy: String
    }

    private let lock = NSLock()
    private var answers: [String: Answer] = [:]
    private var made: [Invited] = []
    private var known: [IdentityAccount] = []
    private var changes: [Update] = []
    private var reissues: [String] = []
    private var lookUps: [String] = []
    private var unreachable = false
    let unexpected = UnexpectedCalls()

    func stub(_ email: String, _ answer: Answer) { lock.withLock { answers[email] = answer } }

    /// Identity does not answer (every call throws ``ServiceUnavailable``).
    var down: Bool {
        get { lock.withLock { unreachable } }
        set { lock.withLock { unreachable = newValue } }
    }

    /// An account Identity has already (as its seed made the demo users'); its id.
    @discardableResult
    func add(email: String, name: String, invitation: InvitationState = .none) -> String {
        let id = "account-" + UUID().uuidString.lowercased()
        lock.withLock {
            known.append(
                IdentityAccount(
                    id: id, email: email, name: name, active: true, invitation: Invitation(state: invitation))
            )
        }
        return id
    }

    /// Sets the invitation state of the account with `email` (a link opened, accepted or lapsed meanwhile).
    func set(_ state: InvitationState, email: String) {
        lock.withLock {
            if let index = known.firstIndex(where: { $0.email == email }) { known[index].invitation.state = state }
        }
    }

    func account(email: String) -> IdentityAccount? { lock.withLock { known.first { $0.email == email } } }

    /// The emails accounts were made for, in order.
    var created: [String] { lock.withLock { made.map(\.email) } }
    /// The invitations accounts were made with, in order.
    var invitations: [Invited] { lock.withLock { made } }
    /// The changes asked of accounts, in order.
    var updates: [Update] { lock.withLock { changes } }
    /// The emails looked up, in order.
    var lookedUp: [String] { lock.withLock { lookUps } }
    /// The accounts whose invitation was issued again, in order.
    var reissued: [String] { lock.withLock { reissues } }

    private func reachable() throws {
        if down { throw ServiceUnavailable(service: "Identity", description: "down in this test") }
    }

    private func unstubbed(_ call: String) -> ServiceUnavailable {
        unexpected.record("Identity.\(call)")
        return ServiceUnavailable(service: "Identity", description: "not stubbed")
    }

    func createAccount(email: String, name: String, organization: String, invitedBy: String) async throws
        -> ProvisionedAccount
    {
        try reachable()
        switch lock.withLock({ answers[email] }) {
        case .created(let link):
            let id = add(email: email, name: name, invitation: .sent)
            lock.withLock { made.append(Invited(email: email, organization: organization, invitedBy: invitedBy)) }
            return ProvisionedAccount(accountID: id, setPasswordURL: link, invitation: Invitation(state: .sent))
        case .exists:
            throw AccountExists()
        case nil:
            throw unstubbed("createAccount(email: \(email))")
        }
    }

    func lookUp(email: String) async throws -> IdentityAccount? {
        try reachable()
        lock.withLock { lookUps.append(email) }
        guard let found = account(email: email) else { throw unstubbed("lookUp(email: \(email))") }
        return found
    }

    func accounts(_ ids: [String]) async throws -> [IdentityAccount] {
        try reachable()
        return lock.withLock { known.filter { ids.contains($0.id) } }
    }

    func update(account: String, name: String?, email: String?, active: Bool?) async throws -> IdentityAccount {
        try reachable()
        return try lock.withLock {
            guard let index = known.firstIndex(where: { $0.id == account }) else {
                unexpected.record("Identity.update(account: \(account))")
                throw UnknownAccount()
            }
            if let email, known.contains(where: { $0.email == email && $0.id != account }) { throw AccountExists() }
            changes.append(Update(account: account, name: name, email: email, active: active))
            if let name { known[index].name = name }
            if let email { known[index].email = email }
            if let active { known[index].active = active }
            return known[index]
        }
    }

    func reissueInvitation(account: String) async throws -> ProvisionedAccount {
        try reachable()
        return try lock.withLock {
            guard let index = known.firstIndex(where: { $0.id == account }) else {
                unexpected.record("Identity.reissueInvitation(account: \(account))")
                throw UnknownAccount()
            }
            guard known[index].invitation.state != .accepted else { throw InvitationAccepted() }
            known[index].invitation = Invitation(state: .sent)
            reissues.append(account)
            return ProvisionedAccount(
                accountID: account, setPasswordURL: "http://localhost:8083/express/set-password?token=again",
                invitation: known[index].invitation)
        }
    }
}
