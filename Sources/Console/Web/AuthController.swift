import ConsoleDomain
import Foundation
import Platform
import Vapor
import Vocabulary

/// Sign-in through the staff tenant (Platform's relying party: authorization code with PKCE, state and nonce),
/// sign-out at Console and at Identity.
struct AuthController: RouteCollection {
    let service: ConsoleService
    let relyingParty: RelyingParty

    func boot(routes: any RoutesBuilder) throws {
        routes.get("sign-in", use: signIn)
        routes.get("auth", "callback", use: callback)
        routes.grouped(RequireCSRF()).post("sign-out", use: signOut)
        routes.get("signed-out", use: signedOut)
    }

    /// Only paths on this site: never an open redirect.
    static func safeReturn(_ raw: String?) -> String { ReturnTarget.localPath(raw) ?? "/" }

    func signIn(req: Request) async throws -> Response {
        do {
            let url = try await relyingParty.authorizationURL(
                session: req.webSession, returnTo: Self.safeReturn(req.query[String.self, at: "return"]))
            return req.redirect(to: url)
        } catch {
            req.logger.error("sign-in could not start", metadata: ["error": "\(error)"])
            return try await req.signedOutPage(
                .serviceUnavailable, heading: "Sign-in is unavailable",
                message: "We could not reach the sign-in service. Please try again in a minute.", linkURL: "/sign-in",
                linkText: "Try again")
        }
    }

    func callback(req: Request) async throws -> Response {
        let session = req.webSession
        let result: (user: SignedInUser, idToken: String, accessToken: String, returnTo: String)
        do {
            result = try await relyingParty.completeSignIn(
                session: session, code: req.query[String.self, at: "code"], state: req.query[String.self, at: "state"],
                error: req.query[String.self, at: "error"],
                errorDescription: req.query[String.self, at: "error_description"])
        } catch {
            req.logger.info("sign-in failed", metadata: ["reason": "\(error)"])
            try await req.audit(AuditEntry("sign_in", outcome: "failed", detail: error.description))
            return try await req.signedOutPage(
                .badRequest, heading: "Sign-in did not complete",
                message: "Something interrupted sign-in (for example an old or reused link). Please sign in again.",
                linkURL: "/sign-in", linkText: "Sign in")
        }
        let staff = StaffMember(
            id: result.user.subject, email: result.user.email ?? "", name: result.user.name ?? result.user.email ?? "",
            roles: Set(result.user.roles.compactMap(StaffRole.init(rawValue:))),
            markets: MarketAccess(claim: result.user.markets))
        let expires = AccessTokenExpiry.read(result.accessToken) ?? service.now().addingTimeInterval(300)
        ServiceMetrics.count("sign_ins_total", [("service", "console"), ("outcome", "success")])
        session.regenerate()
        session.signIn(staff, accessToken: result.accessToken, expires: expires, idToken: result.idToken)
        try await service.audit.record(
            AuditEntry("sign_in", detail: staff.roles.map(\.rawValue).sorted().joined(separator: " ")), by: staff,
            requestID: req.id)
        await service.tracker.identify(.user(staff.id), roles: staff.roles.map(\.rawValue), partner: nil)
        return req.redirect(to: Self.safeReturn(result.returnTo))
    }

    func signOut(req: Request) async throws -> Response {
        let idToken = req.webSession[StaffSessionKeys.idToken]
        if let staff = req.webSession.staffMember {
            try await service.audit.record(AuditEntry("sign_out"), by: staff, requestID: req.id)
        }
        req.webSession.destroy()
        let back = "\(service.config.publicURL)/signed-out"
        return req.redirect(
            to: await relyingParty.logoutURL(idToken: idToken, postLogoutRedirectURI: back) ?? "/signed-out")
    }

    func signedOut(req: Request) async throws -> Response {
        try await req.signedOutPage(
            .ok, heading: "You are signed out", message: "Thank you for using Console.", linkURL: "/sign-in",
            linkText: "Sign in again")
    }
}
