import Foundation

/// Secrets generated on first run into the data directory (mode 0600), never committed: OAuth client
/// secrets for the demo clients and the webhook signing key. In production each comes from the environment.
package enum DevelopmentSecrets {
    static func file(_ dataDirectory: String) -> URL {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("secrets.json")
    }

    /// The secrets named `names`, generating and saving any that are missing.
    package static func ensure(_ names: [String], in dataDirectory: String) throws -> [String: String] {
        let url = file(dataDirectory)
        var secrets = (try? JSONDecoder().decode([String: String].self, from: Data(contentsOf: url))) ?? [:]
        let missing = names.filter { secrets[$0] == nil }
        guard !missing.isEmpty else { return secrets }
        for name in missing {
            secrets[name] = Secrets.randomToken()
        }
        try FilePrivacy.ensureDirectory(url.deletingLastPathComponent())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(secrets).write(to: url, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
        return secrets
    }
}

/// Where a service's secrets come from: the environment always; in development, else the generated file.
/// In production (`SELFSCHED_ENV=production`) a secret missing from the environment stops the service at start.
package struct SecretSource {
    let environment: [String: String]
    let generated: [String: String]

    package init(environment: [String: String], dataDirectory: String, generating names: [String]) throws {
        self.environment = environment
        let production = environment["SELFSCHED_ENV"] == "production"
        generated = production ? [:] : try DevelopmentSecrets.ensure(names, in: dataDirectory)
    }

    /// The value of environment variable `name`, or the generated secret `generatedName` in development.
    package func value(_ name: String, generated generatedName: String) throws -> String {
        if let value = environment[name], !value.isEmpty { return value }
        if let value = generated[generatedName] { return value }
        throw ConfigurationError("\(name) must be set in production.")
    }
}
