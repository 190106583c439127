import Foundation
import Platform
import Vapor

struct OSSLayout: Encodable {
    var title: String
    var prefix: String
    var partner: Bool
    var userName: String?
    var csrf: String
    var flash: String?
    /// The way out every notice offers: back to Express with an error outcome (partner app) or home (patients' app).
    var backURL: String
    var backText: String
}

struct OSSPage<Content: Encodable>: Encodable {
    var layout: OSSLayout
    var page: Content
}

extension Request {
    func ossLayout(_ title: String, app: FlowApp) -> OSSLayout {
        let flash = webSession["_flash"]
        if flash != nil { webSession["_flash"] = nil }
        let partner = app.audience == .partner
        let expressURL = (try? OSSApp.service(application).config.expressURL) ?? ""
        return OSSLayout(
            title: title, prefix: app.prefix, partner: partner, userName: flowUser?.name,
            csrf: webSession.csrfToken, flash: flash,
            backURL: partner ? WayBack.express(nil, expressURL: expressURL, outcome: "error") : app.path("/"),
            backText: partner ? "Back to Express" : "Home")
    }

    func ossPage<Content: Encodable>(
        _ template: String, _ title: String, app: FlowApp, _ content: Content,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let view = try await view.render(template, OSSPage(layout: ossLayout(title, app: app), page: content))
        let response = try await view.encodeResponse(for: self)
        response.status = status
        return response
    }

    /// A page that says one thing and offers one way forward.
    func ossNotice(
        _ status: HTTPResponseStatus, app: FlowApp, title: String, message: String, linkURL: String?, linkText: String?,
        retry: Bool = false
    ) async throws -> Response {
        struct Notice: Encodable {
            var heading: String
            var message: String
            var linkURL: String?
            var linkText: String?
            var retryURL: String?
        }
        return try await ossPage(
            "notice", title, app: app,
            Notice(
                heading: title, message: message, linkURL: linkURL, linkText: linkText,
                retryURL: retry ? url.path + (url.query.map { "?" + $0 } ?? "") : nil),
            status: status)
    }
}

/// Sign-in and sign-out of one of OSS's apps.
struct FlowAuthController: RouteCollection {
    let app: FlowApp
    let service: OSSService

    func boot(routes: any RoutesBuilder) throws {
        routes.get("sign-in", use: signIn)
        routes.get("auth", "callback", use: callback)
        routes.post("sign-out", use: signOut)
    }

    /// Only paths of this app on this site: never an open redirect.
    func safeReturn(_ raw: String?) -> String { ReturnTarget.localPath(raw, under: app.path("/")) ?? app.path("/") }

    func signIn(req: Request) async throws -> Response {
        do {
            return req.redirect(
                to: try await app.relyingParty.authorizationURL(
                    session: req.webSession,
                    returnTo: safeReturn(req.query[String.self, at: "return"])))
        } catch {
            return try await req.ossNotice(
                .serviceUnavailable, app: app, title: "Sign-in is unavailable",
                message: "We could not reach the sign-in service. Please try again in a minute.",
                linkURL: app.path("/sign-in"),
                linkText: "Try again")
        }
    }

    func callback(req: Request) async throws -> Response {
        let session = req.webSession
        do {
            let result = try await app.relyingParty.completeSignIn(
                session: session, code: req.query[String.self, at: "code"], state: req.query[String.self, at: "state"],
                error: req.query[String.self, at: "error"],
                errorDescription: req.query[String.self, at: "error_description"])
            let user = result.user
            if app.audience == .partner {
                guard let userID = user.userID, user.partnerID != nil else {
                    return try await req.ossNotice(
                        .forbidden, app: app, title: "You cannot use partner scheduling",
                        message: "Your account is not a partner account.", linkURL: nil, linkText: nil)
                }
                session["owner"] = userID
                session["partner_id"] = user.partnerID
            } else {
                session["owner"] = user.subject
            }
            session.regenerate()
            session["audience"] = app.audience.rawValue
            session["roles"] = user.roles.joined(separator: ",")
            session["name"] = user.name ?? user.email ?? ""
            session["email"] = user.email ?? ""
            session["id_token"] = result.idToken
            if app.audience == .direct {
                await service.tracker.identify(.user(user.subject), roles: ["patient"], partner: nil)
            }
            return req.redirect(to: safeReturn(result.returnTo))
        } catch {
            req.logger.info("sign-in failed", metadata: ["reason": "\(error)"])
            return try await req.ossNotice(
                .badRequest, app: app, title: "Sign-in did not complete",
                message: "Something interrupted sign-in. Please sign in again.", linkURL: app.path("/sign-in"),
                linkText: "Sign in")
        }
    }

    func signOut(req: Request) async throws -> Response {
        guard req.webSession.isValidCSRF(try? req.content.get(String.self, at: "csrf")) else {
            throw Abort(.forbidden, reason: "This form expired. Reload the page and try again.")
        }
        let idToken = req.webSession["id_token"]
        req.webSession.destroy()
        let back = service.config.publicURL + app.path("/")
        return req.redirect(
            to: await app.relyingParty.logoutURL(idToken: idToken, postLogoutRedirectURI: back) ?? app.path("/"))
    }
}
