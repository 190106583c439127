import Fluent
import Foundation
import JWTKit
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Identity

@Suite("An Identity that kept its signing keys as files keeps them in its database")
struct LegacyKeyImportTests {
    /// What a token signed before the upgrade carries; only its signature matters here.
    struct Probe: JWTPayload {
        var sub: SubjectClaim
        var exp: ExpirationClaim
        func verify(using algorithm: some JWTAlgorithm) async throws { try exp.verifyNotExpired() }
    }

    /// Writes a key file as the older version did; returns the key.
    static func writeLegacyKey(
        to directory: URL, kid: String, createdAt: Date, retiredAt: Date?
    ) throws -> ES256PrivateKey {
        let key = ES256PrivateKey()
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let stored = SigningKeyStore.StoredKey(
            kid: kid, pem: key.pemRepresentation, createdAt: createdAt, retiredAt: retiredAt)
        try encoder.encode(stored).write(to: directory.appendingPathComponent("\(kid).json"))
        return key
    }

    @Test("the first start imports the key files: the active one keeps signing and tokens it signed still verify")
    func importsKeyFiles() async throws {
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "identity-legacy-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dataDirectory) }
        let keyFolder = dataDirectory.appendingPathComponent("identity-keys")
        try FileManager.default.createDirectory(at: keyFolder, withIntermediateDirectories: true)
        let clock = TestClock()
        _ = try Self.writeLegacyKey(
            to: keyFolder, kid: "old-retired", createdAt: clock.now.addingTimeInterval(-7200),
            retiredAt: clock.now.addingTimeInterval(-60))
        let active = try Self.writeLegacyKey(
            to: keyFolder, kid: "old-active", createdAt: clock.now.addingTimeInterval(-60), retiredAt: nil)
        let signer = JWTKeyCollection()
        await signer.add(ecdsa: active, kid: JWKIdentifier(string: "old-active"))
        let issuedBefore = try await signer.sign(
            Probe(sub: "someone", exp: .init(value: clock.now.addingTimeInterval(300))),
            kid: JWKIdentifier(string: "old-active"))

        try await TestDatabase.withApplication { app, location in
            let config = IdentityConfig(database: location, dataDirectory: dataDirectory.path)
            try IdentityApp.configure(app, config: config, hook: StubHook(), now: { clock.now })
            try await IdentityApp.prepare(app, seedDemo: false)
            let keys = try IdentityApp.service(app).keys
            try await keys.load()

            let jwks = try await keys.jwks()
            #expect(Set(jwks.keys.compactMap { $0.keyIdentifier?.string }) == ["old-retired", "old-active"])
            #expect(try await keys.active().kid == "old-active")
            let verifier = JWTKeyCollection()
            try await verifier.add(jwks: jwks)
            #expect(try await verifier.verify(issuedBefore, as: Probe.self).sub.value == "someone")
            // Kept sealed: no private key in the clear in the database.
            let rows = try await SigningKeyModel.query(on: app.db).all()
            #expect(rows.count == 2)
            #expect(rows.allSatisfy { !$0.sealedKey.contains("PRIVATE KEY") })

            // A rotation after the import keeps the imported key published beside the new one.
            let newKid = try await IdentityApp.rotateKeys(app)
            let after = Set(try await keys.jwks().keys.compactMap { $0.keyIdentifier?.string })
            #expect(after == ["old-retired", "old-active", newKid])
        }
    }
}
