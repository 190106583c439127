import Fluent
import Foundation
import IdentityDomain
import NIOConcurrencyHelpers
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

    /// A bcrypt hash at the configured cost (``IdentityConfig/passwordHashCost``).
    func hashPassword(_ password: String) async throws -> String {
        let cost = config.passwordHashCost
        return try await NIOThreadPool.singleton.runIfActive { try Bcrypt.hash(password, cost: cost) }
    }

    /// Checks a password against an account's hash (at the cost the hash names). Without an account it checks
    /// against a decoy hash at the configured cost, so an unknown email takes as long as a wrong password.
    func verifyPassword(_ password: String, hash: String?) async throws -> Bool {
        let hash = hash ?? Self.decoyHash(cost: config.passwordHashCost)
        return try await NIOThreadPool.singleton.runIfActive { try Bcrypt.verify(password, created: hash) }
    }

    private static let decoyHashes = NIOLockedValueBox<[Int: String]>([:])

    /// A hash no password matches, made once per cost (at start, by ``IdentityApp/configure``).
    static func decoyHash(cost: Int) -> String {
        decoyHashes.withLockedValue { hashes in
            if let hash = hashes[cost] { return hash }
            let hash = (try? Bcrypt.hash("decoy-password-never-matches", cost: cost)) ?? ""
            hashes[cost] = hash
            return hash
        }
    }
}
