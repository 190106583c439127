import Foundation
import IdentityDomain
import Platform
import Testing

@testable import Identity

@Suite("Identity's sealing key")
struct SealingKeyTests {
    @Test("a sealed value opens only under its key, purpose and context")
    func sealAndOpen() throws {
        let key = SealingKey.generate()
        let sealed = try key.seal(Data("private key".utf8), purpose: "signing key", context: "kid-1")
        #expect(key.open(sealed, purpose: "signing key", context: "kid-1") == Data("private key".utf8))
        #expect(key.open(sealed, purpose: "signing key", context: "kid-2") == nil)
        #expect(key.open(sealed, purpose: "other", context: "kid-1") == nil)
        #expect(SealingKey.generate().open(sealed, purpose: "signing key", context: "kid-1") == nil)
        #expect(SealingKey(bytes: Array(repeating: 1, count: 31)) == nil)
    }

    @Test("IDENTITY_SEALING_KEY is read as base64 of 32 bytes, and refused when it differs from the key file")
    func fromEnvironment() throws {
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "identity-sealing-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        let key = SealingKey.generate()
        let environment = ["IDENTITY_SEALING_KEY": Data(key.bytes).base64EncodedString()]
        let config = try IdentityConfig.fromEnvironment(environment, dataDirectory: dataDirectory)
        #expect(config.sealingKey == key)
        #expect(try SealingKeyFile.load(config) == key)
        #expect(throws: ConfigurationError.self) {
            try IdentityConfig.fromEnvironment(["IDENTITY_SEALING_KEY": "c2hvcnQ="], dataDirectory: dataDirectory)
        }

        var fromFile = config
        fromFile.sealingKey = nil
        let onDisk = try SealingKeyFile.load(fromFile)
        #expect(onDisk != key)
        #expect(try SealingKeyFile.load(fromFile) == onDisk)
        #expect(throws: ConfigurationError.self) { try SealingKeyFile.load(config) }
    }
}
