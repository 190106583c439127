// swift-format-ignore-file: AlwaysUseLowerCamelCase
// (OAuth and OpenID Connect wire names: form fields and JSON keys are snake_case by their standards.)

import Fluent
import Foundation
import IdentityDomain
import JWTKit
import Platform
import Vapor

extension OIDCController {
    struct UserInfo: Content {
        var sub: String
        var email: String
        var name: String
        var tenant: String
        var user_id: String?
        var partner_id: String?
        var roles: [String]?
    }

    /// The signed-in user's claims, for a valid, unrevoked access token of this tenant.
    func userinfo(req: Request) async throws -> UserInfo {
        let tenant = try Self.tenant(req)
        guard let token = req.headers.bearerAuthorization?.token else {
            throw Problem.unauthorized("Send the access token as a bearer token.")
        }
        let issuer = service.config.issuer(tenant)
        let verifier = TokenVerifier(
            trustedIssuers: [issuer], audience: nil,
            keySource: StaticJWKSSource([issuer: try await service.keys.jwks(now: service.now())]))
        guard let claims = try? await verifier.verify(token),
            let jti = claims.jti?.value, try await RevokedTokenModel.find(jti, on: service.db) == nil,
            let id = AccountID(wire: claims.sub.value),
            let account = try await AccountModel.find(id.rawValue, on: service.db),
            account.active
        else { throw Problem.unauthorized("The access token is not valid, has expired or was revoked.") }
        return UserInfo(
            sub: claims.sub.value, email: account.email, name: account.name, tenant: tenant.rawValue,
            user_id: claims.userID, partner_id: claims.partnerID, roles: claims.roles)
    }

    private struct HintClaims: JWTPayload {
        var aud: AudienceClaim
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// RP-initiated logout: ends the single sign-on session and returns to the app when it asked to.
    func logout(req: Request) async throws -> Response {
        let tenant = try Self.tenant(req)
        if let raw = req.cookies[Self.ssoCookie(tenant)]?.string {
            let hash = Secrets.sha256Hex(raw)
            let ended = try await SSOSessionModel.find(hash, on: service.db)
            try await service.write { db in try await SSOSessionModel.query(on: db).filter(\.$id == hash).delete() }
            if let ended, ended.tenant == tenant.rawValue {
                await notifyLogout(account: ended.accountID, tenant: tenant, req: req)
            }
        }
        var response: Response
        let target = req.query[String.self, at: "post_logout_redirect_uri"]
        var clientID = req.query[String.self, at: "client_id"]
        if clientID == nil, let hint = req.query[String.self, at: "id_token_hint"] {
            // The hint only names the client; its signature is checked against our own keys.
            let keys = JWTKeyCollection()
            _ = try? await keys.add(jwks: try await service.keys.jwks(now: service.now()))
            clientID = (try? await keys.verify(hint, as: HintClaims.self))?.aud.value.first
        }
        if let target, let clientID, let client = try await service.client(clientID, tenant: tenant),
            client.postLogoutRedirectURIs.contains(target)
        {
            response = redirect(to: target, ["state": req.query[String.self, at: "state"]])
        } else {
            response = try await req.message(
                .ok, heading: "You are signed out",
                message: "You have been signed out. You can close this window.")
        }
        response.cookies[Self.ssoCookie(tenant)] = HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/\(tenant.rawValue)",
            isSecure: service.config.secureCookies, isHTTPOnly: true, sameSite: .lax)
        return response
    }
}
