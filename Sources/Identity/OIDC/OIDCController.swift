// swift-format-ignore-file: AlwaysUseLowerCamelCase
// (OAuth and OpenID Connect wire names: form fields and JSON keys are snake_case by their standards.)

import Foundation
import Platform
import Vapor

/// The OpenID Connect endpoints of every tenant, under `/<tenant>/…`.
struct OIDCController: RouteCollection {
    let service: IdentityService

    func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.grouped(":tenant")
        tenant.get(".well-known", "openid-configuration", use: discovery)
        tenant.get("jwks", use: jwks)
        tenant.get("authorize", use: authorize)
        tenant.post("login", use: login)
        tenant.post("token", use: token)
        tenant.get("userinfo", use: userinfo)
        tenant.get("logout", use: logout)
        tenant.get("set-password", use: setPasswordForm)
        tenant.post("set-password", use: setPassword)
        tenant.post("set-password", "renew", use: renewInvitation)
    }

    static func tenant(_ req: Request) throws -> Tenant {
        guard let raw = req.parameters.get("tenant"), let tenant = Tenant(rawValue: raw) else {
            throw Problem.notFound(
                "No such tenant. Tenants: \(Tenant.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return tenant
    }

    struct Discovery: Content {
        var issuer: String
        var authorization_endpoint: String
        var token_endpoint: String
        var userinfo_endpoint: String
        var jwks_uri: String
        var end_session_endpoint: String
        var response_types_supported = ["code"]
        var response_modes_supported = ["query"]
        var grant_types_supported = ["authorization_code", "client_credentials"]
        var subject_types_supported = ["public"]
        var id_token_signing_alg_values_supported = ["ES256"]
        var token_endpoint_auth_methods_supported = ["client_secret_basic", "client_secret_post", "private_key_jwt"]
        var token_endpoint_auth_signing_alg_values_supported = ["RS384", "ES384", "RS256", "ES256"]
        var code_challenge_methods_supported = ["S256"]
        var scopes_supported = ["openid", "profile", "email"]
        var claims_supported = [
            "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "email", "name", "user_id",
            "partner_id", "roles", "tenant",
        ]
        var authorization_response_iss_parameter_supported = true
        var backchannel_logout_supported = true
        var backchannel_logout_session_supported = false
    }

    func discovery(req: Request) async throws -> Response {
        let issuer = service.config.issuer(try Self.tenant(req))
        let document = Discovery(
            issuer: issuer, authorization_endpoint: "\(issuer)/authorize", token_endpoint: "\(issuer)/token",
            userinfo_endpoint: "\(issuer)/userinfo", jwks_uri: "\(issuer)/jwks",
            end_session_endpoint: "\(issuer)/logout")
        let response = try await document.encodeResponse(for: req)
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=300")
        return response
    }

    func jwks(req: Request) async throws -> Response {
        _ = try Self.tenant(req)
        let data = try JSONEncoder().encode(try await service.keys.jwks(now: service.now()))
        var headers = HTTPHeaders()
        headers.contentType = .json
        // A cache must not hold the keys longer than a new key is published before it signs (keyActivationDelay).
        let maxAge = Int(service.config.verifierKeyRefreshInterval)
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=\(maxAge)")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
