import ExpressDomain
import Testing
import Vocabulary

@Suite("EHR connection form (plain rules)")
struct EHRConnectionDomainTests {
    static let pem =
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----"

    @Test("a name and a public key are what it needs; both are trimmed")
    func valid() {
        let form = EHRConnectionForm(name: "  Epic production ", publicKey: "\n\(Self.pem)\n\n")
        #expect(form.problems.isEmpty)
        #expect(form.name == "Epic production" && form.publicKey == Self.pem)
        #expect(
            EHRConnectionForm(name: "Epic", publicKey: #"{"keys": [{"kty": "EC", "x": "a", "y": "b"}]}"#).problems
                .isEmpty)
    }

    @Test("a missing name or key, or one too long, is named by its field")
    func missing() {
        let empty = EHRConnectionForm(name: " ", publicKey: "")
        #expect(Set(empty.problems.keys) == ["name", "public_key"])
        let long = EHRConnectionForm(
            name: String(repeating: "n", count: 201), publicKey: String(repeating: "k", count: 20_001))
        #expect(long.problems["name"] == "Use at most 200 characters.")
        #expect(long.problems["public_key"]?.contains("at most 20000 characters") == true)
    }

    @Test("a private key, PEM or JWK, is refused here, so it is never sent on")
    func privateKey() {
        let pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----"
        let rsa = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----"
        let jwks = #"{"keys": [{"kty": "RSA", "n": "x", "e": "AQAB", "d": "secret"}]}"#
        let jwk = #"{"kty": "EC", "crv": "P-256", "x": "a", "y": "b", "d": "secret"}"#
        for key in [pem, rsa, jwks, jwk] {
            #expect(
                EHRConnectionForm(name: "Epic", publicKey: key).problems["public_key"]
                    == EHRConnectionForm.privateKeyMessage)
        }
    }

    @Test("only admins connect EHRs")
    func admins() {
        let user = { (role: PartnerRole) in ActingUser(id: .random(), partner: .random(), role: role) }
        #expect(EHRConnectionForm.mayManage(user(.admin)))
        #expect(!EHRConnectionForm.mayManage(user(.scheduler)) && !EHRConnectionForm.mayManage(user(.viewer)))
    }

    func said(_ reason: String) -> [String] {
        let problem = EHRConnectionForm.problem(refused: reason)
        return [problem.field, problem.message]
    }

    @Test("the identity provider's refusal becomes the field's message, in a sentence")
    func refusals() {
        #expect(
            said("public_key key 1 is an RSA key of fewer than 2048 bits")
                == ["public_key", "Key 1 is an RSA key of fewer than 2048 bits."])
        #expect(
            said("public_key is not valid JSON: paste a JWKS document or a PEM public key")
                == ["public_key", "The public key is not valid JSON: paste a JWKS document or a PEM public key."])
        #expect(said("name is required") == ["name", "The name is required."])
        #expect(
            said("This is a private key: paste the public key only.")
                == ["public_key", "This is a private key: paste the public key only."])
    }
}
