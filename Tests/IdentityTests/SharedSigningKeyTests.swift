import Fluent
import Foundation
import IdentityDomain
import JWTKit
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Identity

@Suite("Identity instances on one database share their signing keys")
struct SharedSigningKeyTests {
    typealias Harness = IdentityHarness

    @Test("two instances publish the same JWKS, and a token signed by either verifies with the other's")
    func sameKeys() async throws {
        try await Harness.withSharedSealingKey { idp in
            try await idp.withInstanceElsewhere { other in
                let published = try await Harness.publishedPoints(idp.app)
                #expect(published.count == 1)
                #expect(try await Harness.publishedPoints(other) == published)
                let here = try await KeyRotationTests.machineToken(idp.app, idp)
                let there = try await KeyRotationTests.machineToken(other, idp)
                #expect(keyID(ofToken: here) == keyID(ofToken: there))
                #expect(try await Harness.verifier(publishedBy: other).verify(here).clientID == "cli-m2m")
                #expect(try await Harness.verifier(publishedBy: idp.app).verify(there).clientID == "cli-m2m")
            }
        }
    }

    @Test("a rotation through one instance is signed with and published by the other after its reload interval")
    func rotationThroughEither() async throws {
        try await Harness.withSharedSealingKey(adjust: { $0.keyReloadInterval = 5 }) { idp in
            try await idp.withInstanceElsewhere { other in
                let before = try await KeyRotationTests.machineToken(idp.app, idp)
                let oldKid = try #require(keyID(ofToken: before))
                let newKid = try await IdentityApp.rotateKeys(other)
                // Until its interval passes, the first instance keeps the keys it read.
                #expect(try await KeyRotationTests.publishedKids(idp.app) == [oldKid])
                idp.clock.advance(6)
                #expect(try await KeyRotationTests.publishedKids(idp.app) == [oldKid, newKid])
                #expect(try await Harness.publishedPoints(idp.app) == Harness.publishedPoints(other))
                let after = try await KeyRotationTests.machineToken(idp.app, idp)
                #expect(keyID(ofToken: after) == newKid)
                let verifier = try await Harness.verifier(publishedBy: other)
                #expect(try await verifier.verify(after).clientID == "cli-m2m")
                #expect(try await verifier.verify(before).clientID == "cli-m2m")
            }
        }
    }

    @Test("instances starting together on an empty table, or rotating together, leave one active key")
    func oneActiveKey() async throws {
        try await Harness.withSharedSealingKey { idp in
            try await idp.withInstanceElsewhere { other in
                try await SigningKeyModel.query(on: idp.app.db).delete()
                let sealing = try #require(idp.config.sealingKey)
                func store(_ app: Application) -> SigningKeyStore {
                    SigningKeyStore(
                        database: app.serviceDatabase, sealing: sealing,
                        legacyDirectory: URL(fileURLWithPath: "/nonexistent"), tokenLifetime: 300,
                        clock: { idp.clock.now })
                }
                let (first, second) = (store(idp.app), store(other))
                async let loadFirst: Void = first.load()
                async let loadSecond: Void = second.load()
                _ = try await (loadFirst, loadSecond)
                #expect(try await SigningKeyModel.query(on: idp.app.db).filter(\.$retiredAt == nil).count() == 1)
                #expect(try await first.active().kid == second.active().kid)

                async let rotateFirst = first.rotate()
                async let rotateSecond = second.rotate()
                let kids = try await [rotateFirst, rotateSecond]
                let active = try await SigningKeyModel.query(on: idp.app.db).filter(\.$retiredAt == nil).all()
                #expect(active.count == 1)
                #expect(kids.contains(try #require(active.first?.id)))
            }
        }
    }
}
