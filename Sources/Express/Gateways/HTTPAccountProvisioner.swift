import ExpressDomain
import Foundation
import IdentityManagementAPI
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import Platform

/// Identity's management API through its generated client (with Auth0, its Management API would sit here).
package struct HTTPAccountProvisioner: AccountProvisioner, IdentityManagementGateway {
    let client: Client

    package init(identityURL: String, tokens: any AccessTokenSource) throws {
        client = try Self.managementClient(identityURL: identityURL, tokens: tokens)
    }

    package func createAccount(email: String, name: String, organization: String, invitedBy: String) async throws
        -> ProvisionedAccount
    {
        let body = Components.Schemas.NewAccount(
            email: email, name: name, organization: organization, invitedBy: invitedBy)
        switch try await call({ try await client.createAccount(path: .init(tenant: .express), body: .json(body)) }) {
        case .created(let created): return ProvisionedAccount(try created.body.json)
        case .conflict: throw AccountExists()
        default: throw refused("create the account")
        }
    }

    package func lookUp(email: String) async throws -> IdentityAccount? {
        switch try await call({
            try await client.lookUpAccount(path: .init(tenant: .express), body: .json(.init(email: email)))
        }) {
        case .ok(let found): return IdentityAccount(try found.body.json)
        case .notFound: return nil
        default: throw refused("look the account up")
        }
    }

    package func accounts(_ ids: [String]) async throws -> [IdentityAccount] {
        guard !ids.isEmpty else { return [] }
        switch try await call({
            try await client.listAccounts(path: .init(tenant: .express), body: .json(.init(accountIds: ids)))
        }) {
        case .ok(let found): return try found.body.json.accounts.map(IdentityAccount.init)
        default: throw refused("list the accounts")
        }
    }

    package func update(account: String, name: String?, email: String?, active: Bool?) async throws
        -> IdentityAccount
    {
        let change = Components.Schemas.AccountChange(name: name, email: email, active: active)
        switch try await call({
            try await client.updateAccount(path: .init(tenant: .express, accountId: account), body: .json(change))
        }) {
        case .ok(let updated): return IdentityAccount(try updated.body.json)
        case .conflict: throw AccountExists()
        case .notFound: throw UnknownAccount()
        default: throw refused("change the account")
        }
    }

    package func reissueInvitation(account: String) async throws -> ProvisionedAccount {
        switch try await call({ try await client.reissueInvitation(path: .init(tenant: .express, accountId: account)) })
        {
        case .created(let created): return ProvisionedAccount(try created.body.json)
        case .conflict: throw InvitationAccepted()
        case .notFound: throw UnknownAccount()
        default: throw refused("send a new invitation")
        }
    }
}
