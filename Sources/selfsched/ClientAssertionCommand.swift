import ArgumentParser
import Foundation
import Identity

/// For trying the FHIR API with curl: the signed JWT an EHR backend client sends instead of a secret.
struct ClientAssertionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client-assertion",
        abstract: "Print a signed client assertion (RFC 7523 private_key_jwt, valid 5 minutes) for an EHR backend "
            + "client's token request.")

    @Option(help: "The PEM private key file (RSA for RS384, EC P-384 for ES384).") var key: String
    @Option(help: "The client id (ehr-…) shown when the key was registered.") var clientID: String
    @Option(help: "The token endpoint, the assertion's aud (http://localhost:8083/express/token).") var tokenURL: String
    @Option(help: "RS384 or ES384.") var alg: String = "RS384"
    @Option(help: "The registered key's kid (default: the RFC 7638 thumbprint Identity gives a key without one).")
    var kid: String?

    func run() async throws {
        guard let algorithm = ClientAssertionSigner.Algorithm(rawValue: alg.uppercased()) else {
            throw ValidationError("--alg must be RS384 or ES384.")
        }
        let pem: String
        do { pem = try String(contentsOfFile: key, encoding: .utf8) } catch {
            throw ValidationError("Cannot read \(key): \(error.localizedDescription)")
        }
        do {
            say(
                try await ClientAssertionSigner.sign(
                    pem: pem, algorithm: algorithm, clientID: clientID, tokenURL: tokenURL, kid: kid))
        } catch {
            throw ValidationError("\(key) is not a PEM private key for \(algorithm.rawValue): \(error)")
        }
    }
}
