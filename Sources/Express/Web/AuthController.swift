import ExpressDomain
import Foundation
import Platform
import Vapor
import Vocabulary

/// Sign-in through the identity provider (Platform's relying party), sign-out at the app and at Identity.
struct AuthController: RouteCollection {
    let service: ExpressService
    let relyingParty: RelyingParty

    func boot(routes: any RoutesBuilder) throws {
        routes.get("sign-in", use: signIn)
        routes.get("auth", "callback", use: callback)
        routes.grouped(RequireCSRF()).post("sign-out", use: signOut)
        routes.get("signed-out", use: signedOut)
    }

    /// Only paths on this site: never an open redirect.
    static func safeReturn(_ raw: String?) -> String { ReturnTarget.localPath(raw) ?? "/care-requests" }

    func signIn(req: Request) async throws -> Response {
        do {
            let url = try await relyingParty.authorizationURL(
                session: req.webSession,
                returnTo: Self.safeReturn(req.query[String.self, at: "return"]))
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
            try await service.audit.record(
                AuditEntry(action: "sign_in", outcome: "failed", detail: error.description), req.auditContext())
            return try await req.signedOutPage(
                .badRequest, heading: "Sign-in did not complete",
                message: "Something interrupted sign-in (for example an old or reused link). Please sign in again.",
                linkURL: "/sign-in", linkText: "Sign in")
        }
        guard let userID = result.user.userID.flatMap(UserID.init(wire:)), let user = try await service.user(userID),
            user.active,
            user.partner == result.user.partnerID.flatMap(PartnerID.init(wire:))
        else {
            try await service.audit.record(
                AuditEntry(action: "sign_in", outcome: "denied", detail: "no active Express user for the token"),
                req.auditContext())
            return try await req.signedOutPage(
                .forbidden, heading: "You cannot use Express",
                message: "Your account is not active in Express. Ask your organization's Express admin.")
        }
        ServiceMetrics.count("sign_ins_total", [("service", "express"), ("outcome", "success")])
        session.regenerate()
        session["user_id"] = user.userID.wire
        session["id_token"] = result.idToken
        try await service.audit.record(
            AuditEntry(action: "sign_in", outcome: "success"),
            req.auditContext(user: user.userID, partner: user.partner))
        await service.identify(
            ActingUser(id: user.userID, partner: user.partner, role: user.roleValue, synthetic: user.synthetic))
        return req.redirect(to: Self.safeReturn(result.returnTo))
    }

    func signOut(req: Request) async throws -> Response {
        let idToken = req.webSession["id_token"]
        if let raw = req.webSession["user_id"], let id = UserID(wire: raw), let user = try await service.user(id) {
            try await service.audit.record(
                AuditEntry(action: "sign_out", outcome: "success"), req.auditContext(user: id, partner: user.partner))
        }
        req.webSession.destroy()
        let back = "\(service.config.publicURL)/signed-out"
        return req.redirect(
            to: await relyingParty.logoutURL(idToken: idToken, postLogoutRedirectURI: back) ?? "/signed-out")
    }

    func signedOut(req: Request) async throws -> Response {
        try await req.signedOutPage(
            .ok, heading: "You are signed out", message: "Thank you for using Express.",
            linkURL: "/sign-in", linkText: "Sign in again")
    }
}

extension Request {
    /// A page for someone who is not signed in.
    func signedOutPage(
        _ status: HTTPResponseStatus, heading: String, message: String, linkURL: String? = nil,
        linkText: String? = nil
    ) async throws -> Response {
        struct Context: Encodable {
            var title: String
            var heading: String
            var message: String
            var linkURL: String?
            var linkText: String?
        }
        let view = try await view.render(
            "public", Context(title: heading, heading: heading, message: message, linkURL: linkURL, linkText: linkText))
        let response = try await view.encodeResponse(for: self)
        response.status = status
        return response
    }
}
