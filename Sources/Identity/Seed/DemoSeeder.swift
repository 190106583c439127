import Fluent
import Foundation
import IdentityDomain
import Platform

/// Registers the demo clients (secrets generated into the data directory) and accounts that are missing, at every
/// start, so a database seeded by an earlier version gains the demo accounts and clients added since. A demo
/// staff account that has no roles yet (seeded before staff had roles) is given its demo roles and markets.
struct DemoSeeder {
    let service: IdentityService

    func seed() async throws -> [String: String] {
        let clients = DemoIdentities.clients(service.config)
        let secrets = try DevelopmentSecrets.ensure(clients.map(\.id), in: service.config.dataDirectory)
        let existing = try await AccountModel.query(on: service.db)
            .filter(\.$email ~~ DemoIdentities.accounts.map(\.email)).all()
        func found(_ account: DemoIdentities.Account) -> AccountModel? {
            existing.first { $0.tenant == account.tenant.rawValue && $0.email == account.email }
        }
        let missing = DemoIdentities.accounts.filter { found($0) == nil }
        let withoutRoles = DemoIdentities.accounts.compactMap { account in
            account.staff.flatMap { staff in found(account).flatMap { $0.staffRoles == nil ? ($0, staff) : nil } }
        }
        let withoutSecondFactor = DemoIdentities.accounts.compactMap { account in
            account.hasSecondFactor ? found(account).flatMap { $0.totpEnrolledAt == nil ? $0 : nil } : nil
        }
        let passwordHash = missing.isEmpty ? "" : try await service.hashPassword(DemoIdentities.password)
        let box = try service.totpBox()
        let now = service.now()
        @Sendable func enrol(_ model: AccountModel) throws {
            model.totpSecret = try box.seal(
                TOTP(secret: Base32.decode(DemoIdentities.totpSecret)!), account: model.requireID())
            model.totpEnrolledAt = now
        }
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
            for account in missing {
                let model = AccountModel(
                    tenant: account.tenant, email: account.email, name: account.name,
                    passwordHash: passwordHash, at: service.now())
                if let staff = account.staff { model.staffAccess = staff }
                if account.hasSecondFactor { try enrol(model) }
                try await model.create(on: db)
            }
            // A demo account seeded before the second factor gets the demo secret; one enrolled by hand keeps its own.
            for model in withoutSecondFactor {
                try enrol(model)
                try await model.update(on: db)
            }
            for (model, staff) in withoutRoles {
                model.staffAccess = staff
                try await model.update(on: db)
            }
        }
        return secrets
    }
}
