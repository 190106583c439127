import Foundation
import Platform
import Testing

@Suite("Secrets")
struct SecretsTests {
    @Test("SHA-256 hex and the handoff fingerprint match the standard's test vector")
    func digests() {
        #expect(Secrets.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Secrets.handoffFingerprint("abc") == "ba7816bf8f01")
    }

    @Test("the PKCE challenge is the verifier's SHA-256 in base64url, unpadded (as Python's hashlib computes it)")
    func pkce() {
        #expect(
            Secrets.pkceChallenge(for: "dBjftJeZ4CVP-mJ92K27uhbUJU1p1r_wW1gFWFOEjXk")
                == "ngF5GsXcbwljx6u133FFr3Xht9xooA_DuaX_3QwODtc")
    }

    @Test("random tokens are URL-safe, unpadded and of the asked size")
    func tokens() {
        let token = Secrets.randomToken()
        #expect(token.count == 43)
        #expect(token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(Secrets.base64URLDecoded(token)?.count == 32)
        #expect(Secrets.randomToken() != token)
        #expect(Secrets.base64URL([0xfb, 0xff]) == "-_8")
    }

    @Test("comparison is equality, whatever the lengths")
    func comparison() {
        #expect(Secrets.constantTimeEqual("secret", "secret"))
        #expect(!Secrets.constantTimeEqual("secret", "secreT"))
        #expect(!Secrets.constantTimeEqual("secret", "secret2"))
        #expect(!Secrets.constantTimeEqual("", "x"))
    }
}
