import Fluent
import Foundation
import IdentityDomain
import Platform
import Vapor

extension SecondFactorController {
    static let lifetime: TimeInterval = 10 * 60

    static func cookie(_ tenant: Tenant) -> String { "idp_2fa_\(tenant.rawValue)" }

    /// A new challenge for `account`; its random id goes to the browser in ``cookie(_:)``, its hash to the row.
    func startChallenge(
        account: AccountModel, tenant: Tenant, request: AuthorizationRequest?, pending: TOTP?
    ) async throws -> (token: String, row: SecondFactorChallengeModel) {
        let token = Secrets.randomToken()
        let now = service.now()
        let row = SecondFactorChallengeModel()
        row.id = Secrets.sha256Hex(token)
        row.tenant = tenant.rawValue
        row.accountID = try account.requireID()
        row.request = try request.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        row.pendingSecret = try pending.map { try service.totpBox().seal($0, account: row.accountID) }
        row.expiresAt = now.addingTimeInterval(Self.lifetime)
        try await service.write { db in
            try await SecondFactorChallengeModel.query(on: db).filter(\.$expiresAt < now).delete()
            try await row.create(on: db)
        }
        return (token, row)
    }

    /// The browser's unexpired challenge of this tenant and its (still active) account.
    func challenge(_ req: Request, tenant: Tenant) async throws -> (SecondFactorChallengeModel, AccountModel)? {
        guard let token = req.cookies[Self.cookie(tenant)]?.string,
            let row = try await SecondFactorChallengeModel.find(Secrets.sha256Hex(token), on: service.db),
            row.tenant == tenant.rawValue, row.expiresAt > service.now(),
            let account = try await AccountModel.find(row.accountID, on: service.db), account.active
        else { return nil }
        return (row, account)
    }

    func setCookie(_ token: String, tenant: Tenant, on response: Response) {
        response.cookies[Self.cookie(tenant)] = HTTPCookies.Value(
            string: token, maxAge: Int(Self.lifetime), path: "/\(tenant.rawValue)",
            isSecure: service.config.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }

    func clearCookie(tenant: Tenant, on response: Response) {
        response.cookies[Self.cookie(tenant)] = HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/\(tenant.rawValue)",
            isSecure: service.config.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }

    /// The challenge is done: the sign-in it held goes on to ``OIDCController/finishSignIn``; one started on the
    /// security page says the second factor is on.
    func finish(
        _ challenge: SecondFactorChallengeModel, account: AccountModel, tenant: Tenant, req: Request
    ) async throws -> Response {
        try await service.write { db in
            try await SecondFactorChallengeModel.query(on: db).filter(\.$id == challenge.id!).delete()
        }
        let response: Response
        if let json = challenge.request,
            let request = try? JSONDecoder().decode(AuthorizationRequest.self, from: Data(json.utf8))
        {
            let oidc = OIDCController(service: service)
            switch try await oidc.check(request, tenant: tenant, req: req) {
            case .respond(let refused): response = refused
            case .ok(let client):
                response = try await oidc.finishSignIn(
                    account: account, request: request, client: client, tenant: tenant, req: req)
            }
        } else {
            response = try await req.message(
                .ok, heading: "Two-step sign-in is on",
                message: "From now on, signing in asks for a code from your authenticator app after your password.",
                linkURL: appURL(tenant), linkText: "Back to \(appName(tenant))")
        }
        clearCookie(tenant: tenant, on: response)
        return response
    }

    func appURL(_ tenant: Tenant) -> String {
        switch tenant {
        case .express: service.config.expressWebURL
        case .patients: service.config.ossWebURL
        case .staff: service.config.consoleWebURL
        }
    }

    func appName(_ tenant: Tenant) -> String {
        switch tenant {
        case .express: "Express"
        case .patients: "Online Self Scheduling"
        case .staff: "Console"
        }
    }

    func expired(_ req: Request, tenant: Tenant) async throws -> Response {
        let response = try await req.message(
            .badRequest, heading: "Your sign-in has expired",
            message: "The code step waits ten minutes. Go back to the app and sign in again.",
            linkURL: appURL(tenant), linkText: "Back to \(appName(tenant))")
        clearCookie(tenant: tenant, on: response)
        return response
    }

    /// Counts a code attempt under the password's keys and the account's second-factor key, which a right
    /// password does not reset: knowing the password buys no fresh code guesses. Nil when admitted.
    func admitCode(_ account: AccountModel, tenant: Tenant, req: Request) async throws -> Int? {
        let keys = SignInThrottleStore.Keys(
            tenant: tenant, email: account.email, address: req.remoteAddress?.ipAddress ?? "unknown")
        let now = service.now()
        guard
            let retry = try await service.throttle.admit(
                [
                    (keys.pair, service.config.accountAtAddressThrottle),
                    (keys.account, service.config.accountThrottle),
                    (keys.address, service.config.addressThrottle),
                    (Self.codeKey(keys), service.config.accountAtAddressThrottle),
                ], now: now)
        else { return nil }
        return max(1, Int(retry.timeIntervalSince(now).rounded()))
    }

    /// A right code: the account's keys start afresh and the address gets its attempt back.
    func codeAccepted(_ account: AccountModel, tenant: Tenant, req: Request) async throws {
        let keys = SignInThrottleStore.Keys(
            tenant: tenant, email: account.email, address: req.remoteAddress?.ipAddress ?? "unknown")
        try await service.throttle.reset(account: keys.account)
        try await service.throttle.reset(account: Self.codeKey(keys))
        try await service.throttle.refund(keys.address, policy: service.config.addressThrottle)
    }

    static func codeKey(_ keys: SignInThrottleStore.Keys) -> String { "totp:" + keys.account }

    static func waitText(_ seconds: Int) -> String {
        seconds < 90 ? "\(seconds) seconds" : "\((seconds + 59) / 60) minutes"
    }
}
