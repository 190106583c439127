import Fluent
import Foundation
import IdentityDomain
import JWTKit
import Platform

/// Identity's signing keys: ES256 keys kept in Identity's database (``SigningKeyModel``), their private halves
/// sealed with the ``SealingKey``, so every instance on that database signs with the same active key and publishes
/// the same JWKS.
///
/// Rotation retires the active key and makes a new one in one transaction. Each instance reads the table again
/// every `reloadInterval` (one query over a handful of rows), so a rotation made through any instance, or by
/// `selfsched identity rotate-keys`, is published by all of them within that interval. None signs with the new key
/// before it is `activationDelay` old (``IdentityConfig/keyActivationDelay``): until then they all sign with the
/// key it replaced, so no API that verifies a token is refused its key while its cached JWKS or an instance lags.
/// A retired key stays in the JWKS until every token it signed has expired, so nobody's session breaks at rotation.
///
/// The first start on an empty table imports the key files older versions kept in the data directory
/// (``LegacyKeyFiles``), else makes a key. A unique index admits one active key: when two instances start together,
/// the second one's first key is refused and it reads the first one's.
package actor SigningKeyStore {
    /// A key before sealing: as made, or as an older version's key file held it.
    struct StoredKey: Codable, Sendable {
        var kid: String
        var pem: String
        var createdAt: Date
        var retiredAt: Date?
    }

    /// A key as this instance holds it, opened once per kid.
    private struct OpenKey {
        var kid: String
        var key: ES256PrivateKey
        var createdAt: Date
        var retiredAt: Date?
    }

    private struct SealedKey: Sendable {
        var kid: String
        var sealed: String
        var createdAt: Date
        var retiredAt: Date?

        var model: SigningKeyModel {
            SigningKeyModel(kid: kid, sealedKey: sealed, createdAt: createdAt, retiredAt: retiredAt)
        }
    }

    static let sealingPurpose = "signing key"

    private let database: ServiceDatabase
    private let sealing: SealingKey
    private let legacyDirectory: URL
    private let tokenLifetime: TimeInterval
    private let reloadInterval: TimeInterval
    private let activationDelay: TimeInterval
    private let clock: @Sendable () -> Date
    private var keys: [OpenKey] = []
    private var loadedAt: Date?
    private var loading: Task<Void, Never>?
    private var lastError: (any Error)?

    /// `legacyDirectory`: the folder of an older version's key files, imported when the table is empty;
    /// `activationDelay`: how long a new key is published before it signs.
    package init(
        database: ServiceDatabase, sealing: SealingKey, legacyDirectory: URL, tokenLifetime: TimeInterval,
        reloadInterval: TimeInterval = 5, activationDelay: TimeInterval,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.database = database
        self.sealing = sealing
        self.legacyDirectory = legacyDirectory
        self.tokenLifetime = tokenLifetime
        self.reloadInterval = reloadInterval
        self.activationDelay = activationDelay
        self.clock = clock
    }

    /// The key new tokens are signed with: the active key once it has been published for `activationDelay`;
    /// before that (a rotation's new key) the key it replaced, the last retired one still published; the active
    /// key when there is no such key (the first key made on an empty table, which nothing else can sign for). A
    /// retired key never signs once it is no longer published.
    func active() async throws -> (kid: String, key: ES256PrivateKey) {
        let keys = try await current()
        let now = clock()
        let active = keys.first { $0.retiredAt == nil }
        if let active, now.timeIntervalSince(active.createdAt) >= activationDelay { return (active.kid, active.key) }
        let predecessor = keys.filter { $0.retiredAt != nil && isPublished($0, at: now) }
            .max { ($0.retiredAt ?? .distantPast) < ($1.retiredAt ?? .distantPast) }
        guard let signing = predecessor ?? active else { throw JWTError.noKeyProvided }
        return (signing.kid, signing.key)
    }

    /// Whether a verifier may still need `key` at `now`: the active key, and a retired one until every token it
    /// may have signed has expired (a retired key signs on until its successor is `activationDelay` old).
    private func isPublished(_ key: OpenKey, at now: Date) -> Bool {
        guard let retired = key.retiredAt else { return true }
        return now.timeIntervalSince(retired) < activationDelay + tokenLifetime + 60
    }

    /// The public keys a verifier needs now: the active one, one not signing yet, and those that may have signed a
    /// token that has not expired.
    package func jwks(now: Date? = nil) async throws -> JWKS {
        let now = now ?? clock()
        let published = try await current().filter { isPublished($0, at: now) }
        return JWKS(
            keys: try published.map { open in
                guard let point = open.key.publicKey.parameters else {
                    throw JWTError.generic(identifier: "jwks", reason: "Signing key \(open.kid) has no public point.")
                }
                return JWK.ecdsa(
                    .es256, identifier: JWKIdentifier(string: open.kid), x: point.x, y: point.y, curve: .p256)
            })
    }

    /// Reads the keys now (importing or making the first one on an empty table); throws when there are none to be
    /// had: the database does not answer, or a key was sealed under another sealing key. Run at start, so such a
    /// mistake stops the service with its reason instead of failing its first sign-in.
    package func load() async throws {
        await reloadShared()
        if let lastError { throw lastError }
    }

    /// Retires the active key and makes a new one active, in one transaction, and deletes the keys no verifier can
    /// need any more. Returns the new key id; it is published at once and signs from `activationDelay` on.
    @discardableResult
    package func rotate() async throws -> String {
        // An empty table first imports the older version's key files, whose tokens must keep verifying.
        _ = try await current()
        var attempts = 0
        while true {
            attempts += 1
            let now = clock()
            let key = try seal(Self.generate(now))
            let forgotten = now.addingTimeInterval(-(activationDelay + tokenLifetime * 2 + 3600))
            do {
                try await database.write { db in
                    try await SigningKeyModel.query(on: db).filter(\.$retiredAt == nil).set(\.$retiredAt, to: now)
                        .update()
                    try await key.model.create(on: db)
                    try await SigningKeyModel.query(on: db).filter(\.$retiredAt < forgotten).delete()
                }
                loadedAt = nil
                return key.kid
            } catch let error as any DatabaseError where error.isConstraintFailure && attempts < 3 {
                // Another rotation made its key between this one's retiring and inserting: retire that one too.
                continue
            }
        }
    }

    private func current() async throws -> [OpenKey] {
        if let loading {
            await loading.value
        } else if loadedAt.map({ clock().timeIntervalSince($0) >= reloadInterval }) ?? true {
            await reloadShared()
        }
        guard !keys.isEmpty else { throw lastError ?? JWTError.noKeyProvided }
        return keys
    }

    /// One read at a time: callers that arrive while it runs wait for its answer.
    private func reloadShared() async {
        if let loading { return await loading.value }
        let task = Task { await self.reload() }
        loading = task
        await task.value
        loading = nil
    }

    /// Keys that cannot be read leave the ones held as they were until the next interval.
    private func reload() async {
        loadedAt = clock()
        do {
            var rows = try await SigningKeyModel.query(on: database.db).sort(\.$createdAt).all()
            if !rows.contains(where: { $0.retiredAt == nil }) {
                try await makeFirstKey(importing: rows.isEmpty)
                rows = try await SigningKeyModel.query(on: database.db).sort(\.$createdAt).all()
            }
            keys = try rows.map(open)
            lastError = nil
        } catch {
            lastError = error
            if keys.isEmpty { loadedAt = nil }
        }
    }

    private func open(_ row: SigningKeyModel) throws -> OpenKey {
        let kid = try row.requireID()
        if var known = keys.first(where: { $0.kid == kid }) {
            known.retiredAt = row.retiredAt
            return known
        }
        guard let pem = sealing.open(row.sealedKey, purpose: Self.sealingPurpose, context: kid) else {
            throw ConfigurationError(
                "Signing key \(kid) in Identity's database does not open with this instance's sealing key: "
                    + "give every Identity instance the same IDENTITY_SEALING_KEY.")
        }
        return OpenKey(
            kid: kid, key: try ES256PrivateKey(pem: String(decoding: pem, as: UTF8.self)), createdAt: row.createdAt,
            retiredAt: row.retiredAt)
    }

    /// The older version's keys when `importing` (all but the newest active one retired), and a new key when none
    /// of them is active.
    private func makeFirstKey(importing: Bool) async throws {
        let now = clock()
        var found = importing ? try LegacyKeyFiles.read(legacyDirectory) : []
        let signing = found.lastIndex { $0.retiredAt == nil }
        for index in found.indices where found[index].retiredAt == nil && index != signing {
            found[index].retiredAt = now
        }
        if signing == nil { found.append(Self.generate(now)) }
        let rows = try found.map(seal)
        do {
            try await database.write { db in
                // Another instance may have made its first key since this one looked.
                guard try await SigningKeyModel.query(on: db).filter(\.$retiredAt == nil).count() == 0 else { return }
                for row in rows { try await row.model.create(on: db) }
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Another instance inserted its first key at the same moment; the next read finds it.
        }
    }

    private func seal(_ key: StoredKey) throws -> SealedKey {
        SealedKey(
            kid: key.kid, sealed: try sealing.seal(Data(key.pem.utf8), purpose: Self.sealingPurpose, context: key.kid),
            createdAt: key.createdAt, retiredAt: key.retiredAt)
    }

    static func generate(_ now: Date) -> StoredKey {
        let stamp = ISO8601DateFormatter().string(from: now).prefix(10)
        return StoredKey(
            kid: "\(stamp)-\(UUID().uuidString.prefix(8).lowercased())", pem: ES256PrivateKey().pemRepresentation,
            createdAt: now, retiredAt: nil)
    }
}
