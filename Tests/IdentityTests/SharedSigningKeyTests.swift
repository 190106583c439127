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

    @Test("after a rotation through one instance both publish the new key before either signs with it, then both do")
    func rotationThroughEither() async throws {
        try await Harness.withSharedSealingKey { idp in
            try await idp.withInstanceElsewhere { other in
                let instances = [idp.app, other]
                let oldKid = try #require(keyID(ofToken: try await KeyRotationTests.machineToken(idp.app, idp)))
                let newKid = try await IdentityApp.rotateKeys(other)
                // The rotating instance publishes the new key at once; the other keeps the keys it read until its
                // interval passes. Neither signs with it.
                #expect(try await KeyRotationTests.publishedKids(other) == [oldKid, newKid])
                #expect(try await KeyRotationTests.publishedKids(idp.app) == [oldKid])
                try await Self.expectSigning(oldKid, by: instances, idp)

                idp.clock.advance(idp.config.keyReloadInterval)
                #expect(try await KeyRotationTests.publishedKids(idp.app) == [oldKid, newKid])
                #expect(try await Harness.publishedPoints(idp.app) == Harness.publishedPoints(other))
                idp.clock.advance(idp.config.keyActivationDelay - idp.config.keyReloadInterval - 1)
                try await Self.expectSigning(oldKid, by: instances, idp)

                idp.clock.advance(2)
                try await Self.expectSigning(newKid, by: instances, idp)
            }
        }
    }

    /// Expects every instance to sign with `kid`, and each of their tokens to verify with what every instance
    /// publishes.
    static func expectSigning(
        _ kid: String, by instances: [Application], _ idp: Harness,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        for app in instances {
            let token = try await KeyRotationTests.machineToken(app, idp)
            #expect(keyID(ofToken: token) == kid, sourceLocation: sourceLocation)
            for publisher in instances {
                let verifier = try await Harness.verifier(publishedBy: publisher)
                #expect(try await verifier.verify(token).clientID == "cli-m2m", sourceLocation: sourceLocation)
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
                        activationDelay: idp.config.keyActivationDelay, clock: { idp.clock.now })
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
