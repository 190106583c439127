import Foundation
import JWTKit
import Platform

/// Identity's signing keys: ES256 keys generated on first start and kept as files in the data directory.
///
/// Rotation makes a new key active and retires the old one; a retired key stays in the JWKS until every
/// token it signed has expired, so nobody's session breaks at rotation.
///
/// The folder is read again every `reloadInterval`, so a running Identity (or a second one on the same data)
/// signs with a key that `selfsched identity rotate-keys` made active, and publishes it, within that interval.
package actor SigningKeyStore {
    struct StoredKey: Codable {
        var kid: String
        var pem: String
        var createdAt: Date
        var retiredAt: Date?
    }

    private let directory: URL
    private let tokenLifetime: TimeInterval
    private let reloadInterval: TimeInterval
    private let clock: @Sendable () -> Date
    private var keys: [StoredKey] = []
    private var loadedAt: Date

    package init(
        directory: URL, tokenLifetime: TimeInterval, reloadInterval: TimeInterval = 30,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        self.directory = directory
        self.tokenLifetime = tokenLifetime
        self.reloadInterval = reloadInterval
        self.clock = clock
        try FilePrivacy.ensureDirectory(directory)
        keys = try Self.read(directory)
        loadedAt = clock()
        if keys.allSatisfy({ $0.retiredAt != nil }) {
            let key = Self.generate()
            try Self.write(key, to: directory)
            keys.append(key)
        }
    }

    static func read(_ directory: URL) throws -> [StoredKey] {
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try files.map { try decoder.decode(StoredKey.self, from: Data(contentsOf: $0)) }
            .sorted { $0.createdAt < $1.createdAt }
    }

    /// Picks up keys another process rotated. A folder that cannot be read, or holds no active key (caught
    /// mid-rotation), leaves the keys as they were until the next interval.
    private func reloadIfDue() {
        let now = clock()
        guard now.timeIntervalSince(loadedAt) >= reloadInterval else { return }
        loadedAt = now
        guard let found = try? Self.read(directory), found.contains(where: { $0.retiredAt == nil }) else { return }
        keys = found
    }

    static func generate() -> StoredKey {
        let key = ES256PrivateKey()
        let stamp = ISO8601DateFormatter().string(from: Date()).prefix(10)
        return StoredKey(
            kid: "\(stamp)-\(UUID().uuidString.prefix(8).lowercased())", pem: key.pemRepresentation,
            createdAt: Date(), retiredAt: nil)
    }

    static func write(_ key: StoredKey, to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let url = directory.appendingPathComponent("\(key.kid).json")
        try encoder.encode(key).write(to: url, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
    }

    /// The key new tokens are signed with.
    func active() throws -> (kid: String, key: ES256PrivateKey) {
        reloadIfDue()
        guard let current = keys.last(where: { $0.retiredAt == nil }) else { throw JWTError.noKeyProvided }
        return (current.kid, try ES256PrivateKey(pem: current.pem))
    }

    /// The public keys a verifier needs now: the active one and those retired less than a token lifetime ago.
    package func jwks(now: Date = Date()) throws -> JWKS {
        reloadIfDue()
        let published = keys.filter { key in
            guard let retired = key.retiredAt else { return true }
            return now.timeIntervalSince(retired) < tokenLifetime + 60
        }
        return JWKS(
            keys: try published.map { stored in
                let key = try ES256PrivateKey(pem: stored.pem)
                let parameters = key.publicKey.parameters!
                return JWK.ecdsa(
                    .es256, identifier: JWKIdentifier(string: stored.kid), x: parameters.x, y: parameters.y,
                    curve: .p256)
            })
    }

    /// Makes a new key active and retires the current one. Returns the new key id.
    @discardableResult
    package func rotate(now: Date = Date()) throws -> String {
        // Another process may have rotated since the last reload: retire what is active on disk.
        if let found = try? Self.read(directory), !found.isEmpty { keys = found }
        for index in keys.indices where keys[index].retiredAt == nil {
            keys[index].retiredAt = now
            try Self.write(keys[index], to: directory)
        }
        let key = Self.generate()
        try Self.write(key, to: directory)
        keys.append(key)
        // Keys no verifier can need any more are deleted.
        for old in keys where old.retiredAt.map({ now.timeIntervalSince($0) > tokenLifetime * 2 + 3600 }) == true {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent("\(old.kid).json"))
        }
        keys.removeAll { $0.retiredAt.map { now.timeIntervalSince($0) > tokenLifetime * 2 + 3600 } == true }
        return key.kid
    }
}
