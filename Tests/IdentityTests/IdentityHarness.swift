import Foundation
import IdentityDomain
import JWTKit
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Identity

/// A post-login hook double: answers only for the emails a test stubbed, and fails the test otherwise.
final class StubHook: PostLoginHook, @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [String: HookDecision]
    let unexpected = UnexpectedCalls()
    var unavailable = false

    init(_ answers: [String: HookDecision] = StubHook.demo) { self.answers = answers }

    static let demo: [String: HookDecision] = [
        "scheduler@sunrise.example": .allow(
            HookClaims(userID: "u-scheduler", partnerID: "5a7e0000-0000-4000-8000-000000000001", roles: ["scheduler"])),
        "admin@sunrise.example": .allow(
            HookClaims(userID: "u-admin", partnerID: "5a7e0000-0000-4000-8000-000000000001", roles: ["admin"])),
        "viewer@sunrise.example": .refuse(
            "Your Express account has been deactivated. Ask your partner admin to restore it."),
    ]

    func stub(_ email: String, _ decision: HookDecision) { lock.withLock { answers[email] = decision } }

    func claims(forEmail email: String) async throws -> HookDecision {
        if unavailable { throw HookUnavailable() }
        guard let answer = lock.withLock({ answers[email] }) else {
            unexpected.record("PostLoginHook.claims(forEmail: \(email))")
            throw HookUnavailable()
        }
        return answer
    }
}

struct IdentityHarness {
    let app: Application
    let clock: TestClock
    let hook: StubHook
    let secrets: [String: String]
    let config: IdentityConfig

    static func with(adjust: (inout IdentityConfig) -> Void = { _ in }, _ body: (IdentityHarness) async throws -> Void)
        async throws
    {
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "identity-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        let clock = TestClock()
        let hook = StubHook()
        defer { hook.unexpected.verify() }
        try await TestDatabase.withApplication { app, location in
            var config = IdentityConfig(database: location, dataDirectory: dataDirectory)
            config.passwordHashCost = 4
            adjust(&config)
            try IdentityApp.configure(app, config: config, hook: hook, now: { clock.now })
            let secrets = try await IdentityApp.prepare(app, seedDemo: true)
            try await body(IdentityHarness(app: app, clock: clock, hook: hook, secrets: secrets, config: config))
        }
    }

    var service: IdentityService { try! IdentityApp.service(app) }

    /// Runs `body` with a second Identity on the same database and data directory, as a second process would be.
    func withSibling(_ body: (Application) async throws -> Void) async throws {
        let other = try await Application.make(.testing)
        do {
            try IdentityApp.configure(other, config: config, hook: hook, now: { clock.now })
            try await body(other)
        } catch {
            try await other.asyncShutdown()
            throw error
        }
        try await other.asyncShutdown()
    }

    struct AuthRequest {
        var tenant = "express"
        var clientID = "express-web"
        var redirectURI = "http://localhost:8080/auth/callback"
        var verifier = PKCE.makeVerifier()
        var state = Secrets.randomToken(bytes: 8)
        var nonce = Secrets.randomToken(bytes: 8)
        var method = "S256"
        var extra: [String: String] = [:]

        var parameters: [String: String] {
            var p = [
                "client_id": clientID, "redirect_uri": redirectURI, "response_type": "code",
                "scope": "openid email profile",
                "state": state, "nonce": nonce, "code_challenge": PKCE.challenge(for: verifier),
                "code_challenge_method": method,
            ]
            for (k, v) in extra { if v.isEmpty { p[k] = nil } else { p[k] = v } }
            return p
        }

        var authorizePath: String { "/\(tenant)/authorize?" + formEncoded(parameters) }
    }

    /// Opens the authorization endpoint and signs in; returns the final response (a redirect with a code, or a page).
    /// Partner admins and staff answer the second step with their app's code (``answerSecondFactor``) unless
    /// `secondFactor` is false.
    func signIn(
        _ browser: TestBrowser, _ request: AuthRequest, email: String, password: String = DemoIdentities.password,
        secondFactor: Bool = true
    ) async throws -> BrowserResponse {
        let page = try await browser.send(.GET, request.authorizePath)
        guard page.status == .ok else { return page }
        var form = request.parameters
        form["email"] = email
        form["password"] = password
        form["csrf"] = browser.cookie("idp_csrf") ?? ""
        let response = try await browser.send(.POST, "/\(request.tenant)/login", form: form)
        guard secondFactor else { return response }
        return try await answerSecondFactor(browser, response, tenant: request.tenant, email: email)
    }

    func exchange(_ code: String, _ request: AuthRequest, clientID: String? = nil, verifier: String? = nil) async throws
        -> TestingHTTPResponse
    {
        let id = clientID ?? request.clientID
        var headers = HTTPHeaders()
        headers.basicAuthorization = BasicAuthorization(username: id, password: secrets[id]!)
        headers.contentType = .urlEncodedForm
        let form = [
            "grant_type": "authorization_code", "code": code, "redirect_uri": request.redirectURI,
            "code_verifier": verifier ?? request.verifier,
        ]
        return try await app.testing().sendRequest(
            .POST, "/\(request.tenant)/token", headers: headers,
            body: ByteBuffer(string: formEncoded(form)))
    }

    func token(_ tenant: String, form: [String: String], basic: (String, String)? = nil) async throws
        -> TestingHTTPResponse
    {
        var headers = HTTPHeaders()
        if let basic { headers.basicAuthorization = BasicAuthorization(username: basic.0, password: basic.1) }
        headers.contentType = .urlEncodedForm
        return try await app.testing().sendRequest(
            .POST, "/\(tenant)/token", headers: headers, body: ByteBuffer(string: formEncoded(form)))
    }

    /// Adds an account with the demo password.
    @discardableResult
    func addAccount(_ tenant: Tenant, email: String) async throws -> AccountModel {
        let account = AccountModel(
            tenant: tenant, email: email, name: "Test User",
            passwordHash: try await service.hashPassword(DemoIdentities.password), at: clock.now)
        try await account.create(on: app.db)
        return account
    }

    /// Signs in through `request` and exchanges the code; returns the token response.
    func signInForTokens(_ request: AuthRequest, email: String) async throws -> TestingHTTPResponse {
        let response = try await signIn(TestBrowser(app: app), request, email: email)
        return try await exchange(
            try #require(redirectQuery(response)["code"], "\(response.status) \(response.text)"), request)
    }

    /// A verifier for tokens of `tenant`, holding Identity's current public keys.
    func verifier(_ tenant: String, audience: String?) async throws -> TokenVerifier {
        let issuer = "http://localhost:8083/\(tenant)"
        return TokenVerifier(
            trustedIssuers: [issuer], audience: audience,
            keySource: StaticJWKSSource([issuer: try await service.keys.jwks(now: clock.now)]))
    }
}
