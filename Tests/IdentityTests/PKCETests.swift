import IdentityDomain
import Testing

/// RFC 7636's S256 rule, without a server.
@Suite("PKCE")
struct PKCETests {
    @Test("the challenge of RFC 7636's example verifier is the one in its appendix B")
    func rfcExample() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        #expect(PKCE.challenge(for: verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        #expect(PKCE.verify(verifier: verifier, challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"))
    }

    @Test("a verifier proves only its own challenge")
    func ownChallengeOnly() {
        let verifier = PKCE.makeVerifier()
        let other = PKCE.makeVerifier()
        #expect(verifier.count == 64 && verifier != other)
        #expect(PKCE.verify(verifier: verifier, challenge: PKCE.challenge(for: verifier)))
        #expect(!PKCE.verify(verifier: other, challenge: PKCE.challenge(for: verifier)))
        #expect(!PKCE.verify(verifier: verifier, challenge: verifier))
    }

    @Test(
        "a verifier shorter than 43 or longer than 128 characters is refused even when it hashes right",
        arguments: [42, 129])
    func verifierLength(length: Int) {
        let verifier = String(repeating: "a", count: length)
        #expect(!PKCE.verify(verifier: verifier, challenge: PKCE.challenge(for: verifier)))
    }

    @Test("the challenge is base64url without padding", arguments: 0..<20)
    func urlSafe(_: Int) {
        let challenge = PKCE.challenge(for: PKCE.makeVerifier())
        #expect(challenge.count == 43)
        #expect(!challenge.contains { "+/=".contains($0) })
    }
}
