import Fluent
import Foundation
import IdentityDomain
import IdentityManagementAPI
import Platform
import Vapor

extension ManagementAPIHandler {
    func lookUpAccount(_ input: Operations.LookUpAccount.Input) async throws -> Operations.LookUpAccount.Output {
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the email as JSON.") }
        let tenant = try Self.tenant(input.path.tenant.rawValue)
        guard let account = try await service.account(email: Self.normalized(email: body.email), tenant: tenant)
        else { throw Problem.notFound("No account uses this email.") }
        return .ok(.init(body: .json(try await wire(account))))
    }

    func listAccounts(_ input: Operations.ListAccounts.Input) async throws -> Operations.ListAccounts.Output {
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the account ids as JSON.") }
        let tenant = try Self.tenant(input.path.tenant.rawValue)
        guard body.accountIds.count <= 500 else { throw Problem.badRequest("Ask for at most 500 accounts at once.") }
        let ids = body.accountIds.compactMap { AccountID(wire: $0)?.rawValue }
        let accounts =
            ids.isEmpty
            ? []
            : try await AccountModel.query(on: service.db).filter(\.$tenant == tenant.rawValue)
                .filter(\.$id ~~ ids).all()
        let invitations = try await service.newestInvitations(of: accounts.compactMap(\.id))
        let now = service.now()
        let order = Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        return .ok(
            .init(
                body: .json(
                    .init(
                        accounts: accounts.sorted { order[$0.id!, default: 0] < order[$1.id!, default: 0] }.map {
                            .init($0, invitation: invitations[$0.id!], now: now)
                        }))))
    }

    func updateAccount(_ input: Operations.UpdateAccount.Input) async throws -> Operations.UpdateAccount.Output {
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the change as JSON.") }
        let account = try await account(input.path.accountId, tenant: input.path.tenant.rawValue)
        let change = try RequestedAccountChange(body, of: account)
        guard !change.kinds.isEmpty else { return .ok(.init(body: .json(try await wire(account)))) }
        do {
            try await service.write { db in
                if let email = change.email,
                    try await AccountModel.query(on: db).filter(\.$tenant == account.tenant)
                        .filter(\.$email == email).filter(\.$id != account.id!).first() != nil
                {
                    throw Self.accountExists
                }
                change.apply(to: account)
                try await account.update(on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw Self.accountExists
        }
        Self.log("account changed", account: account, changes: change.kinds)
        if change.active == false {
            // After the commit: the apps' back-channel logout makes them reload a user who is inactive by now.
            // The change stands if this fails: Identity refuses an inactive account's SSO session anyway.
            let logger = Logger(label: "identity.management")
            do {
                try await service.endSessions(
                    of: account.id!, tenant: Tenant(rawValue: account.tenant) ?? .express, logger: logger)
            } catch {
                logger.warning(
                    "ending a deactivated account's sessions failed",
                    metadata: ["account_id": .string(AccountID(account.id!).wire), "reason": .string("\(error)")])
            }
        }
        return .ok(.init(body: .json(try await wire(account))))
    }

    func reissueInvitation(_ input: Operations.ReissueInvitation.Input) async throws
        -> Operations.ReissueInvitation.Output
    {
        let account = try await account(input.path.accountId, tenant: input.path.tenant.rawValue)
        let tenant = Tenant(rawValue: account.tenant) ?? .express
        let issued = try await service.write { [service] db in
            switch Invitation.state(of: try await service.newestInvitation(of: account.id!, on: db), at: service.now())
            {
            case .accepted, .none:
                throw Problem.conflict(
                    "The owner has chosen a password already; they can use “Forgot password?” on the sign-in page.",
                    slug: "invitation-accepted")
            case .sent, .opened, .expired:
                return try await service.issueInvitation(
                    for: account,
                    email: { .newInvitationLink(tenant: tenant, name: account.name, url: $0, lifetime: $1) }, on: db)
            }
        }
        Self.log("invitation reissued", account: account, changes: ["invitation"])
        return .created(.init(body: .json(.init(account: account, issued: issued, now: service.now()))))
    }

    private func account(_ id: String, tenant raw: String) async throws -> AccountModel {
        let tenant = try Self.tenant(raw)
        guard let id = AccountID(wire: id), let account = try await AccountModel.find(id.rawValue, on: service.db),
            account.tenant == tenant.rawValue
        else { throw Problem.notFound("No such account.") }
        return account
    }

    private func wire(_ account: AccountModel) async throws -> Components.Schemas.Account {
        .init(account, invitation: try await service.newestInvitation(of: account.id!), now: service.now())
    }
}

/// What one update asks for, checked: only the fields that differ from the account as it is.
struct RequestedAccountChange: Sendable {
    var name: String?
    var email: String?
    var active: Bool?

    init(_ body: Components.Schemas.AccountChange, of account: AccountModel) throws {
        var errors: [Problem.FieldError] = []
        if let raw = body.name {
            let name = raw.trimmingCharacters(in: .whitespaces)
            if name.isEmpty { errors.append(.init(field: "name", message: "is required")) }
            if name != account.name { self.name = name }
        }
        if let raw = body.email {
            let email = ManagementAPIHandler.normalized(email: raw)
            if let problem = ManagementAPIHandler.problem(email: email) { errors.append(problem) }
            if email != account.email { self.email = email }
        }
        if let active = body.active, active != account.active { self.active = active }
        guard errors.isEmpty else { throw Problem.validation(errors) }
    }

    /// The kinds of change, as the log names them.
    var kinds: [String] {
        [name.map { _ in "name" }, email.map { _ in "email" }, active.map { $0 ? "reactivated" : "deactivated" }]
            .compactMap { $0 }
    }

    func apply(to account: AccountModel) {
        if let name { account.name = name }
        if let email { account.email = email }
        if let active { account.active = active }
    }
}
