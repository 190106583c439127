import Fluent
import Foundation
import IdentityDomain
import IdentityManagementAPI
import Platform

/// The management API: trusted services create accounts and get a one-time set-password link.
struct ManagementAPIHandler: APIProtocol {
    let service: IdentityService

    static let scopes: [String: String?] = [
        "createAccount": "identity.accounts.write", "lookUpAccount": "identity.accounts.write",
        "listAccounts": "identity.accounts.write", "updateAccount": "identity.accounts.write",
        "reissueInvitation": "identity.accounts.write",
    ]

    func createAccount(_ input: Operations.CreateAccount.Input) async throws -> Operations.CreateAccount.Output {
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the account as JSON.") }
        guard let tenant = Tenant(rawValue: input.path.tenant.rawValue) else {
            throw Problem.notFound("No tenant \(input.path.tenant.rawValue).")
        }
        let email = body.email.trimmingCharacters(in: .whitespaces).lowercased()
        var errors: [Problem.FieldError] = []
        if email.split(separator: "@").count != 2 || email.contains(" ") {
            errors.append(.init(field: "email", message: "must be an email address"))
        }
        if body.name.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.append(.init(field: "name", message: "is required"))
        }
        guard errors.isEmpty else { throw Problem.validation(errors) }
        if try await service.account(email: email, tenant: tenant) != nil {
            throw Problem.conflict("An account with this email already exists.", slug: "account-exists")
        }
        // An unusable password until its owner chooses one through the link.
        let placeholder = try await IdentityService.hashPassword(Secrets.randomToken())
        let account = AccountModel(
            tenant: tenant, email: email, name: body.name, passwordHash: placeholder, at: service.now())
        let token = Secrets.randomToken()
        let setup = PasswordSetupModel()
        setup.id = Secrets.sha256Hex(token)
        setup.accountID = account.id!
        setup.expiresAt = service.now().addingTimeInterval(72 * 3600)
        try await service.write { db in
            try await account.create(on: db)
            try await setup.create(on: db)
        }
        let url = "\(service.config.issuer(tenant))/set-password?token=\(token)"
        return .created(
            .init(
                body: .json(
                    .init(
                        accountId: AccountID(account.id!).wire, setPasswordUrl: url,
                        invitation: .init(
                            state: .sent, sentAt: setup.expiresAt.addingTimeInterval(-72 * 3600),
                            expiresAt: setup.expiresAt)))))
    }
}
