import Fluent
import Foundation
import IdentityDomain
import Platform
import Vapor

/// Everything Identity's endpoints need, built once by ``IdentityApp/configure``.
struct IdentityService: Sendable {
    let config: IdentityConfig
    let database: ServiceDatabase
    var db: any Database { database.db }
    var gate: WriteGate { database.gate }
    let keys: SigningKeyStore
    /// Seals the secrets kept in the database (TOTP secrets, signing keys) and signs known-device cookies.
    let sealing: SealingKey
    let hook: any PostLoginHook
    let now: @Sendable () -> Date

    var minter: TokenMinter { TokenMinter(keys: keys, lifetime: config.tokenLifetime) }
    var throttle: SignInThrottleStore { SignInThrottleStore(database: { database.db }, gate: gate) }

    func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await database.write(body)
    }

    func client(_ id: String, tenant: Tenant) async throws -> ClientModel? {
        guard let client = try await ClientModel.find(id, on: db), client.tenant == tenant.rawValue else { return nil }
        return client
    }

    func account(email: String, tenant: Tenant) async throws -> AccountModel? {
        try await AccountModel.query(on: db)
            .filter(\.$tenant == tenant.rawValue).filter(
                \.$email == email.lowercased().trimmingCharacters(in: .whitespaces)
            )
            .first()
    }

    /// Checks a client's secret in constant time against its stored hash.
    func authenticate(clientID: String, secret: String, tenant: Tenant) async throws -> ClientModel? {
        guard let client = try await client(clientID, tenant: tenant) else { return nil }
        return Secrets.constantTimeEqual(Secrets.sha256Hex(secret), client.secretHash) ? client : nil
    }

    static func hashPassword(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { try Bcrypt.hash(password, cost: 10) }
    }

    static func verifyPassword(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { try Bcrypt.verify(password, created: hash) }
    }
}
