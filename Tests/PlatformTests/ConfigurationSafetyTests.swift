import AsyncHTTPClient
import Fluent
import Foundation
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Platform

@Suite("Configuration that cannot go quietly wrong")
struct ConfigurationSafetyTests {
    @Test("every trusted issuer list follows IDENTITY_PUBLIC_URL unless set on its own")
    func issuersFollowIdentity() {
        let moved = IdentityIssuers.trusted(
            ["IDENTITY_PUBLIC_URL": "https://id.example.org/"], override: "STATION_TRUSTED_ISSUERS")
        #expect(
            moved == [
                "https://id.example.org/express", "https://id.example.org/patients", "https://id.example.org/staff",
            ])
        let byPort = IdentityIssuers.trusted(["IDENTITY_PORT": "9443"], override: "POLICY_TRUSTED_ISSUERS")
        #expect(byPort.contains("http://localhost:9443/staff"))
        let explicit = IdentityIssuers.trusted(
            [
                "IDENTITY_PUBLIC_URL": "https://id.example.org",
                "POLICY_TRUSTED_ISSUERS": "https://a.example/x, https://b.example/y",
            ],
            override: "POLICY_TRUSTED_ISSUERS")
        #expect(explicit == ["https://a.example/x", "https://b.example/y"])
    }

    @Test("a trusted issuer whose discovery document names another issuer is refused, at start and for tokens")
    func discoveryIssuerMismatch() async throws {
        let app = try await Application.make(.testing)
        let issuedAs = "http://localhost:8083/express"
        app.get("express", ".well-known", "openid-configuration") { _ in
            ["issuer": issuedAs, "jwks_uri": "http://127.0.0.1:9/jwks"]
        }
        do {
            let port = try await startOnAnyPort(app)
            let trusted = "http://127.0.0.1:\(port)/express"
            let source = DiscoveryJWKSSource(client: .shared)
            await #expect(throws: IssuerMismatch.self) { try await source.checkDiscovery(of: trusted) }
            await #expect(throws: TokenRejection.untrustedIssuer) {
                _ = try await source.keys(for: trusted, refresh: true)
            }
        }
        await app.server.shutdown()
        try await app.asyncShutdown()
    }

    @Test("the data directory and database files are readable by the service's own account only")
    func ownerOnlyFiles() async throws {
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("privacy-\(UUID())/data")
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let path = directory.appendingPathComponent("service.sqlite").path
        let app = try await Application.make(.testing)
        do {
            try app.useDatabase(.sqlite(path: path))
            try await app.migrateDatabase()
            try await app.db.sql.raw("CREATE TABLE t (x INTEGER)").run()
        }
        try await app.asyncShutdown()
        func mode(_ path: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
        }
        #expect(try mode(directory.path) == 0o700)
        #expect(try mode(path) == 0o600)

        // A file made before the rule loses group and world access on the next start.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let again = try await Application.make(.testing)
        try again.useDatabase(.sqlite(path: path))
        try await again.asyncShutdown()
        #expect(try mode(path) == 0o600)
    }
}

@Suite("Error answers a person can read")
struct ErrorPageTests {
    @Test("a browser gets an unknown address or a refusal as a page; an API client gets problem+json")
    func htmlForBrowsers() async throws {
        let app = try await Application.make(.testing)
        app.middleware = Middlewares()
        app.middleware.use(ProblemMiddleware())
        app.get("refused") { _ -> String in
            throw Abort(.forbidden, reason: "This form expired. Reload the page and try again.")
        }
        do {
            var browser = HTTPHeaders()
            browser.replaceOrAdd(
                name: .accept, value: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
            let missing = try await app.testing().sendRequest(.GET, "/nowhere/<script>", headers: browser)
            #expect(missing.status == .notFound)
            #expect(missing.headers.contentType == .html)
            let page = missing.text
            #expect(
                page.contains("<html lang=\"en\">") && page.contains("<title>Page not found") && page.contains("<h1>"))
            #expect(!page.contains("<script>"))
            let refused = try await app.testing().sendRequest(.GET, "/refused", headers: browser)
            #expect(refused.status == .forbidden)
            #expect(refused.text.contains("This form expired"))

            var api = HTTPHeaders()
            api.replaceOrAdd(name: .accept, value: "application/json")
            let json = try await app.testing().sendRequest(.GET, "/nowhere", headers: api)
            #expect(json.status == .notFound)
            #expect(json.headers.contentType?.subType == "problem+json")
        }
        try await app.asyncShutdown()
    }
}
