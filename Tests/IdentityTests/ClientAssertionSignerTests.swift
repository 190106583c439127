import Foundation
import Testing

@testable import Identity

/// `selfsched client-assertion`'s signer: what it prints gets a token, with the registered key's thumbprint kid.
@Suite("Client assertion signer (selfsched client-assertion)")
struct ClientAssertionSignerTests {
    typealias Harness = IdentityHarness

    @Test("an RS384 and an ES384 assertion from a PEM private key each get a token")
    func signedAssertionsWork() async throws {
        try await Harness.with { idp in
            for (key, algorithm) in [
                (try EHRKey.rsa(), ClientAssertionSigner.Algorithm.rs384), (EHRKey.ec384(), .es384),
            ] {
                let client = try await idp.registeredClient(key)
                let assertion = try await ClientAssertionSigner.sign(
                    pem: key.privatePEM, algorithm: algorithm, clientID: client.id, tokenURL: Harness.tokenURL,
                    now: idp.clock.now)
                let response = try await idp.backendToken(assertion)
                #expect(response.status == .ok, "\(algorithm.rawValue): \(response.text)")
            }
        }
    }

    @Test("a key of the wrong type for the algorithm is an error, not an assertion")
    func wrongKey() async throws {
        await #expect(throws: (any Error).self) {
            try await ClientAssertionSigner.sign(
                pem: EHRKey.ec384().privatePEM, algorithm: .rs384, clientID: "ehr-x", tokenURL: Harness.tokenURL)
        }
    }
}
