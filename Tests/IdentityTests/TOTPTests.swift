import Foundation
import IdentityDomain
import Testing

@Suite("TOTP (RFC 6238), base32 and recovery codes")
struct TOTPTests {
    static let rfcSecret = Array("12345678901234567890".utf8)

    @Test(
        "RFC 6238 Appendix B: the SHA-1 test vectors (eight digits)",
        arguments: [
            (59, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"), (2_000_000_000, "69279037"), (20_000_000_000, "65353130"),
        ])
    func rfc6238(time: Int, code: String) {
        let totp = TOTP(secret: Self.rfcSecret, digits: 8)
        #expect(totp.code(at: Date(timeIntervalSince1970: TimeInterval(time))) == code)
    }

    @Test("RFC 4226 Appendix D: HOTP values for counts 0 to 9 (six digits)")
    func rfc4226() {
        let totp = TOTP(secret: Self.rfcSecret)
        #expect(
            (0...9).map { totp.code(step: $0) } == [
                "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489",
            ])
    }

    @Test("the demo secret's codes are those pyotp computes")
    func demoSecretAgainstPyotp() throws {
        // pyotp.TOTP("SELFSCHEDULINGDEMOSECONDFACTORAA").at(t) for these t.
        let totp = TOTP(secret: try #require(Base32.decode("SELFSCHEDULINGDEMOSECONDFACTORAA")))
        #expect(totp.code(at: Date(timeIntervalSince1970: 1_700_000_000)) == "826063")
        #expect(totp.code(at: Date(timeIntervalSince1970: 1_800_000_015)) == "153747")
    }

    @Test(
        "base32 after RFC 4648 §10, without padding; decoding ignores case, spaces and padding",
        arguments: [
            ("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"), ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ])
    func base32(text: String, encoded: String) {
        #expect(Base32.encode(Array(text.utf8)) == encoded)
        #expect(Base32.decode(encoded) == Array(text.utf8))
        #expect(Base32.decode(encoded.lowercased() + "======") == Array(text.utf8))
    }

    @Test("base32 refuses what is not base32")
    func base32Invalid() {
        #expect(Base32.decode("MZXW1") == nil)
        #expect(Base32.decode("MZ!W") == nil)
        #expect(Base32.decode("mzxw 6ytb-oi") == Array("foobar".utf8))
    }

    @Test("a code passes for the step before, the current and the next one, and never for a step already used")
    func window() {
        let totp = TOTP(secret: Self.rfcSecret)
        let now = Date(timeIntervalSince1970: 1_111_111_111)
        let step = totp.step(at: now)
        #expect(totp.matchingStep(totp.code(step: step), at: now, after: nil) == step)
        #expect(totp.matchingStep(totp.code(step: step - 1), at: now, after: nil) == step - 1)
        #expect(totp.matchingStep(totp.code(step: step + 1), at: now, after: nil) == step + 1)
        #expect(totp.matchingStep(totp.code(step: step - 2), at: now, after: nil) == nil)
        #expect(totp.matchingStep(totp.code(step: step + 2), at: now, after: nil) == nil)
        // Replay: the step used last, and any before it, no longer pass.
        #expect(totp.matchingStep(totp.code(step: step), at: now, after: step) == nil)
        #expect(totp.matchingStep(totp.code(step: step - 1), at: now, after: step - 1) == nil)
        #expect(totp.matchingStep(totp.code(step: step + 1), at: now, after: step) == step + 1)
        #expect(totp.matchingStep(" \(totp.code(step: step)) ", at: now, after: nil) == step)
        #expect(totp.matchingStep("12345", at: now, after: nil) == nil)
        #expect(totp.matchingStep("abcdef", at: now, after: nil) == nil)
    }

    @Test("the otpauth URI names SelfScheduling and the account, percent-encoded, with the secret and parameters")
    func uri() {
        let totp = TOTP(secret: Array("foobar".utf8))
        #expect(
            totp.uri(account: "ada+x@sunrise.example")
                == "otpauth://totp/SelfScheduling:ada%2Bx%40sunrise.example?secret=MZXW6YTBOI&issuer=SelfScheduling"
                + "&algorithm=SHA1&digits=6&period=30")
        #expect(
            TOTP(secret: Base32.decode("SELFSCHEDULINGDEMOSECONDFACTORAA")!).groupedSecret
                == "SELF SCHE DULI NGDE MOSE COND FACT ORAA")
        #expect(TOTP.random().secret.count == 20)
    }

    @Test("ten recovery codes, xxxx-xxxx in lowercase base32, stored as hashes, each usable once")
    func recoveryCodes() throws {
        let (codes, stored) = RecoveryCodes.generate()
        #expect(codes.count == 10 && Set(codes).count == 10)
        #expect(codes.allSatisfy { $0.wholeMatch(of: /[a-z2-7]{4}-[a-z2-7]{4}/) != nil })
        #expect(!stored.stored.contains(codes[0]))
        #expect(RecoveryCodes(stored: stored.stored) == stored)
        let rest = try #require(stored.using(codes[3]))
        #expect(rest.hashes.count == 9)
        #expect(rest.using(codes[3]) == nil)
        // Typed in capitals or without the hyphen, a code still counts.
        #expect(rest.using(codes[4].uppercased().replacingOccurrences(of: "-", with: " "))?.hashes.count == 8)
        #expect(stored.using("aaaa-aaaa") == nil)
    }

    @Test("a sealed secret opens only with its key and for its account")
    func sealing() throws {
        let box = TOTPSecretBox(key: TOTPSecretBox.newKey())
        let account = UUID()
        let totp = TOTP.random()
        let sealed = try box.seal(totp, account: account)
        #expect(!sealed.contains(totp.base32Secret))
        #expect(box.open(sealed, account: account) == totp)
        #expect(box.open(sealed, account: UUID()) == nil)
        #expect(TOTPSecretBox(key: TOTPSecretBox.newKey()).open(sealed, account: account) == nil)
    }
}
