import Fluent
import Foundation
import Platform

/// Registers the demo clients (secrets generated into the data directory) and accounts that are missing.
struct DemoSeeder {
    let service: IdentityService

    func seed() async throws -> [String: String] {
        let clients = DemoIdentities.clients(service.config)
        let secrets = try DevelopmentSecrets.ensure(clients.map(\.id), in: service.config.dataDirectory)
        let existingAccounts = try await AccountModel.query(on: service.db).count()
        let passwordHash = existingAccounts == 0 ? try await IdentityService.hashPassword(DemoIdentities.password) : ""
        try await service.write { db in
            for client in clients {
                let model = try await ClientModel.find(client.id, on: db) ?? ClientModel()
                model.id = client.id
                model.tenant = client.tenant.rawValue
                model.name = client.name
                model.secretHash = Secrets.sha256Hex(secrets[client.id]!)
                model.redirectURIs = client.redirectURIs
                model.postLogoutRedirectURIs = client.postLogoutRedirectURIs
                model.backchannelLogoutURI = client.backchannelLogoutURI
                model.grantTypes = client.grants
                model.userAudience = client.userAudience
                model.m2mGrants = client.m2m
                model.allowedScopes = client.grants.contains("authorization_code") ? client.scopes : []
                try await model.save(on: db)
            }
            guard existingAccounts == 0 else { return }
            for account in DemoIdentities.accounts {
                try await AccountModel(
                    tenant: account.tenant, email: account.email, name: account.name,
                    passwordHash: passwordHash, at: service.now()
                ).create(on: db)
            }
        }
        return secrets
    }
}
