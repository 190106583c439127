import Fluent
import Foundation
import IdentityDomain
import IdentityManagementAPI
import Platform
import Vapor

/// The management API: trusted services create, find, change and deactivate accounts, and (re)issue their
/// owners' invitations (a one-time set-password link, emailed).
struct ManagementAPIHandler: APIProtocol {
    let service: IdentityService

    static let scopes: [String: String?] = [
        "createAccount": "identity.accounts.write", "lookUpAccount": "identity.accounts.write",
        "listAccounts": "identity.accounts.write", "updateAccount": "identity.accounts.write",
        "reissueInvitation": "identity.accounts.write", "registerBackendClient": "identity.clients.write",
        "listBackendClients": "identity.clients.write", "deleteBackendClient": "identity.clients.write",
    ]

    func createAccount(_ input: Operations.CreateAccount.Input) async throws -> Operations.CreateAccount.Output {
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the account as JSON.") }
        let tenant = try Self.tenant(input.path.tenant.rawValue)
        let email = Self.normalized(email: body.email)
        let name = body.name.trimmingCharacters(in: .whitespaces)
        var errors: [Problem.FieldError] = []
        if let problem = Self.problem(email: email) { errors.append(problem) }
        if name.isEmpty { errors.append(.init(field: "name", message: "is required")) }
        guard errors.isEmpty else { throw Problem.validation(errors) }
        if try await service.account(email: email, tenant: tenant) != nil {
            throw Self.accountExists
        }
        // An unusable password until its owner chooses one through the link.
        let placeholder = try await service.hashPassword(Secrets.randomToken())
        let account = AccountModel(
            tenant: tenant, email: email, name: name, passwordHash: placeholder, at: service.now())
        let issued = try await service.write { [service] db in
            try await account.create(on: db)
            return try await service.issueInvitation(
                for: account,
                email: { url, lifetime in
                    .invitation(
                        tenant: tenant, name: name, invitedBy: body.invitedBy, organization: body.organization,
                        url: url, lifetime: lifetime)
                }, on: db)
        }
        Self.log("account created", account: account, changes: ["invitation"])
        return .created(.init(body: .json(.init(account: account, issued: issued, now: service.now()))))
    }

    static let accountExists = Problem.conflict("An account with this email already exists.", slug: "account-exists")

    static func tenant(_ raw: String) throws -> Tenant {
        guard let tenant = Tenant(rawValue: raw) else { throw Problem.notFound("No tenant \(raw).") }
        return tenant
    }

    static func normalized(email: String) -> String { email.trimmingCharacters(in: .whitespaces).lowercased() }

    /// Nil when `email` can be an account's address (and so an email's recipient).
    static func problem(email: String) -> Problem.FieldError? {
        MailAddress(address: email).isValid ? nil : .init(field: "email", message: "must be an email address")
    }

    /// One structured line per change: the account's id and what changed, never its email or name.
    static func log(_ message: Logger.Message, account: AccountModel, changes: [String]) {
        var logger = Logger(label: "identity.management")
        if let trace = TraceContext.current {
            logger[metadataKey: "trace_id"] = .string(trace.traceID)
            logger[metadataKey: "request_id"] = .string(trace.requestID)
        }
        logger.info(
            message,
            metadata: [
                "account_id": .string(account.id.map { AccountID($0).wire } ?? ""), "tenant": .string(account.tenant),
                "changes": .string(changes.joined(separator: ",")),
            ])
    }
}
