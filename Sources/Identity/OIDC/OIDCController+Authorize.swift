import Fluent
import Foundation
import IdentityDomain
import Platform
import Vapor
import Vocabulary

extension OIDCController {
    static let csrfCookie = "idp_csrf"
    static func ssoCookie(_ tenant: Tenant) -> String { "idp_sso_\(tenant.rawValue)" }

    /// The authorization request from a query or a form.
    static func authorizationRequest(_ get: (String) -> String?) -> AuthorizationRequest {
        AuthorizationRequest(
            clientID: get("client_id") ?? "", redirectURI: get("redirect_uri") ?? "",
            responseType: get("response_type") ?? "",
            scope: get("scope") ?? "", state: get("state") ?? "", nonce: get("nonce").flatMap { $0.isEmpty ? nil : $0 },
            codeChallenge: get("code_challenge") ?? "", codeChallengeMethod: get("code_challenge_method") ?? "",
            prompt: get("prompt"))
    }

    enum Checked {
        case ok(ClientModel)
        /// Answer with this response (an error page, or an error redirect to the verified redirect URI).
        case respond(Response)
    }

    /// Verifies the client and its exact redirect URI before anything may be sent there; then the rest.
    func check(_ request: AuthorizationRequest, tenant: Tenant, req: Request) async throws -> Checked {
        guard let client = try await service.client(request.clientID, tenant: tenant),
            client.allows(grant: "authorization_code")
        else {
            return .respond(
                try await req.message(
                    .badRequest, heading: "Unknown application",
                    message:
                        "The application that sent you here is not registered for sign-in. Go back and try again, or contact support."
                ))
        }
        guard client.redirectURIs.contains(request.redirectURI) else {
            return .respond(
                try await req.message(
                    .badRequest, heading: "Unregistered return address",
                    message:
                        "The application asked to send you to an address it has not registered, so sign-in stopped here for your safety."
                ))
        }
        do {
            try request.validate()
        } catch {
            return .respond(
                redirect(
                    to: request.redirectURI,
                    [
                        "error": error.error, "error_description": error.description, "state": request.state,
                        "iss": service.config.issuer(tenant),
                    ]))
        }
        return .ok(client)
    }

    func redirect(to base: String, _ parameters: [String: String?]) -> Response {
        var components = URLComponents(string: base)!
        components.queryItems =
            (components.queryItems ?? [])
            + parameters.compactMap { key, value in
                value.map { URLQueryItem(name: key, value: $0) }
            }.sorted { $0.name < $1.name }
        if components.queryItems?.isEmpty == true { components.queryItems = nil }
        let response = Response(status: .seeOther)
        response.headers.replaceOrAdd(name: .location, value: components.string!)
        return response
    }

    func authorize(req: Request) async throws -> Response {
        let tenant = try Self.tenant(req)
        let request = Self.authorizationRequest { req.query[String.self, at: $0] }
        let client: ClientModel
        switch try await check(request, tenant: tenant, req: req) {
        case .respond(let response): return response
        case .ok(let found): client = found
        }
        if request.prompt != "login", let session = try await ssoSession(req, tenant: tenant),
            let account = try await AccountModel.find(session.accountID, on: service.db), account.active
        {
            return try await complete(
                request, client: client, account: account, authTime: session.authTime, tenant: tenant, req: req)
        }
        if request.prompt == "none" {
            return redirect(
                to: request.redirectURI,
                [
                    "error": "login_required", "state": request.state,
                    "iss": service.config.issuer(tenant),
                ])
        }
        return try await loginPage(
            request, client: client, tenant: tenant, email: "", error: nil, status: .ok, req: req)
    }

    func loginPage(
        _ request: AuthorizationRequest, client: ClientModel, tenant: Tenant, email: String, error: String?,
        status: HTTPResponseStatus, req: Request
    ) async throws -> Response {
        let csrf = req.cookies[Self.csrfCookie]?.string ?? Secrets.randomToken()
        let page = LoginPage(
            title: "Sign in", tenant: tenant.rawValue, tenantName: tenant.displayName, clientName: client.name,
            email: email, error: error, csrf: csrf, request: request)
        let response = try await req.render("login", page, status: status)
        response.cookies[Self.csrfCookie] = HTTPCookies.Value(
            string: csrf, maxAge: 3600, path: "/", isSecure: service.config.secureCookies, isHTTPOnly: true,
            sameSite: .strict)
        return response
    }

    struct LoginForm: Content {
        var email: String?
        var password: String?
        var csrf: String?
    }

    func login(req: Request) async throws -> Response {
        let tenant = try Self.tenant(req)
        let form = try req.content.decode(LoginForm.self)
        let request = Self.authorizationRequest { try? req.content.get(String.self, at: $0) }
        let client: ClientModel
        switch try await check(request, tenant: tenant, req: req) {
        case .respond(let response): return response
        case .ok(let found): client = found
        }
        guard let csrf = form.csrf, !csrf.isEmpty, csrf == req.cookies[Self.csrfCookie]?.string else {
            return try await loginPage(
                request, client: client, tenant: tenant, email: form.email ?? "",
                error: "Your sign-in form expired. Please enter your password again.", status: .forbidden, req: req)
        }
        let email = (form.email ?? "").trimmingCharacters(in: .whitespaces)
        let password = form.password ?? ""
        guard !email.isEmpty, !password.isEmpty else {
            return try await loginPage(
                request, client: client, tenant: tenant, email: email,
                error: "Enter your email and password.", status: .badRequest, req: req)
        }
        let now = service.now()
        let keys = SignInThrottleStore.Keys(
            tenant: tenant, email: email, address: req.remoteAddress?.ipAddress ?? "unknown")
        // Counted before the password is checked, for known and unknown emails alike: the answers (and their
        // timing) say nothing about whether an account exists, and concurrent guesses are each counted.
        // A browser this account signed in from before is not held by the count per email from anywhere, so a
        // stranger spending that count cannot keep the owner out (its own count per email here still applies).
        var limits = [
            (keys.pair, service.config.accountAtAddressThrottle), (keys.address, service.config.addressThrottle),
        ]
        if !knownDevice(req, tenant: tenant, email: email) {
            limits.insert((keys.account, service.config.accountThrottle), at: 1)
        }
        if let retry = try await service.throttle.admit(limits, now: now) {
            return try await throttled(
                request, client: client, tenant: tenant, email: email, retry: retry, now: now, req: req)
        }
        let account = try await service.account(email: email, tenant: tenant)
        // Unknown emails cost the same as wrong passwords, so timing does not reveal which accounts exist.
        let valid = try await service.verifyPassword(password, hash: account?.passwordHash)
        guard let account, valid else {
            if Int.random(in: 0..<64) == 0 {
                try? await service.throttle.prune(before: now.addingTimeInterval(-86_400))
            }
            req.logger.info(
                "sign-in refused", metadata: ["tenant": .string(tenant.rawValue), "outcome": "bad_credentials"])
            ServiceMetrics.count(
                "sign_ins_total",
                [("service", "identity"), ("tenant", tenant.rawValue), ("outcome", "bad_credentials")])
            return try await loginPage(
                request, client: client, tenant: tenant, email: email,
                error: "That email and password do not match. Check them and try again.", status: .unauthorized,
                req: req)
        }
        guard account.active else {
            return try await req.message(
                .forbidden, heading: "Account deactivated",
                message: "This account has been deactivated. Ask your administrator to restore it.")
        }
        try await service.throttle.reset(account: keys.account)
        try await service.throttle.refund(keys.address, policy: service.config.addressThrottle)
        // A patient who has not confirmed their email yet is asked to (sign-up); then the second factor, when
        // the account has one or must have one.
        if let response = try await verificationStep(account: account, tenant: tenant, req: req) { return response }
        if let response = try await secondFactorStep(
            account: account, request: request, client: client, tenant: tenant, req: req)
        {
            return response
        }
        return try await finishSignIn(account: account, request: request, client: client, tenant: tenant, req: req)
    }

    /// The person is who they say (password, and the second factor when asked): open an SSO session at Identity,
    /// set its cookie and send the browser back to the app with a code.
    func finishSignIn(
        account: AccountModel, request: AuthorizationRequest, client: ClientModel, tenant: Tenant, req: Request
    ) async throws -> Response {
        let now = service.now()
        let sessionID = Secrets.randomToken()
        let session = SSOSessionModel()
        session.id = Secrets.sha256Hex(sessionID)
        session.tenant = tenant.rawValue
        session.accountID = account.id!
        session.authTime = now
        session.expiresAt = now.addingTimeInterval(service.config.ssoLifetime)
        try await service.write { db in try await session.create(on: db) }
        let response = try await complete(
            request, client: client, account: account, authTime: now, tenant: tenant, req: req)
        if response.status == .seeOther {
            response.cookies[Self.ssoCookie(tenant)] = HTTPCookies.Value(
                string: sessionID, maxAge: Int(service.config.ssoLifetime), path: "/\(tenant.rawValue)",
                isSecure: service.config.secureCookies, isHTTPOnly: true, sameSite: .lax)
            response.cookies[Self.deviceCookie(tenant)] = HTTPCookies.Value(
                string: deviceToken(tenant: tenant, email: account.email), maxAge: Self.knownDeviceLifetime,
                path: "/\(tenant.rawValue)", isSecure: service.config.secureCookies, isHTTPOnly: true, sameSite: .lax)
        }
        return response
    }

    /// The same answer whether or not the email has an account.
    func throttled(
        _ request: AuthorizationRequest, client: ClientModel, tenant: Tenant, email: String, retry: Date, now: Date,
        req: Request
    ) async throws -> Response {
        let seconds = max(1, Int(retry.timeIntervalSince(now).rounded()))
        let wait = seconds < 90 ? "\(seconds) seconds" : "\((seconds + 59) / 60) minutes"
        req.logger.info("sign-in throttled", metadata: ["tenant": .string(tenant.rawValue), "outcome": "throttled"])
        ServiceMetrics.count(
            "sign_ins_total", [("service", "identity"), ("tenant", tenant.rawValue), ("outcome", "throttled")])
        let response = try await loginPage(
            request, client: client, tenant: tenant, email: email,
            error: "Too many sign-in attempts. Wait \(wait) and try again, or contact your administrator.",
            status: .tooManyRequests, req: req)
        response.headers.replaceOrAdd(name: .retryAfter, value: String(seconds))
        return response
    }

    func ssoSession(_ req: Request, tenant: Tenant) async throws -> SSOSessionModel? {
        guard let raw = req.cookies[Self.ssoCookie(tenant)]?.string,
            let session = try await SSOSessionModel.find(Secrets.sha256Hex(raw), on: service.db),
            session.tenant == tenant.rawValue, session.expiresAt > service.now()
        else { return nil }
        return session
    }

    /// The user is authenticated: ask the post-login hook (express tenant) or read the staff member's roles and
    /// markets (staff tenant), then issue a code.
    func complete(
        _ request: AuthorizationRequest, client: ClientModel, account: AccountModel, authTime: Date,
        tenant: Tenant, req: Request
    ) async throws -> Response {
        var claims: HookClaims?
        if tenant == .staff {
            claims = HookClaims(staffSubject: AccountID(try account.requireID()).wire, access: account.staffAccess)
        }
        if tenant == .express {
            switch try await hookDecision(account.email, req: req) {
            case .allow(let found) where found.partnerID.flatMap(PartnerID.init(wire:)) != nil: claims = found
            case .allow:
                // Every express-tenant token acts for one partner; a user without one would read as "every partner".
                req.logger.warning(
                    "sign-in refused: the post-login hook named no partner", metadata: ["tenant": "express"])
                return try await req.message(
                    .forbidden, heading: "You cannot sign in to Express",
                    message:
                        "Your Express account is not linked to a partner organization. Ask your partner admin to add you."
                )
            case .refuse(let message):
                req.logger.info("sign-in refused by the post-login hook", metadata: ["tenant": "express"])
                return try await req.message(.forbidden, heading: "You cannot sign in to Express", message: message)
            case nil:
                return try await req.message(
                    .serviceUnavailable, heading: "Sign-in is unavailable",
                    message: "We could not confirm your Express account just now. Please try again in a minute.")
            }
        }
        let code = Secrets.randomToken()
        let row = AuthorizationCodeModel()
        row.id = Secrets.sha256Hex(code)
        row.tenant = tenant.rawValue
        row.clientID = client.id!
        row.accountID = account.id!
        row.redirectURI = request.redirectURI
        row.codeChallenge = request.codeChallenge
        row.nonce = request.nonce
        row.scope = ScopeGrant.granted(
            requested: request.scope, allowed: client.userScopes, tenant: tenant,
            staff: claims?.staffAccess ?? .none
        ).joined(separator: " ")
        row.claims = claims
        row.authTime = authTime
        row.expiresAt = service.now().addingTimeInterval(service.config.codeLifetime)
        row.tokenIDs = []
        try await service.write { db in try await row.create(on: db) }
        ServiceMetrics.count(
            "sign_ins_total", [("service", "identity"), ("tenant", tenant.rawValue), ("outcome", "success")])
        req.logger.info(
            "sign-in",
            metadata: [
                "tenant": .string(tenant.rawValue), "client_id": .string(client.id!),
                "account_id": .string(account.id!.uuidString), "outcome": "code_issued",
            ])
        return redirect(
            to: request.redirectURI, ["code": code, "state": request.state, "iss": service.config.issuer(tenant)])
    }

    func hookDecision(_ email: String, req: Request) async throws -> HookDecision? {
        do {
            return try await service.hook.claims(forEmail: email)
        } catch {
            req.logger.error("post-login hook failed", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
