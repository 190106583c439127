// swift-format-ignore-file: AlwaysUseLowerCamelCase
// (OAuth and OpenID Connect wire names: form fields and JSON keys are snake_case by their standards.)

import Fluent
import Foundation
import IdentityDomain
import Platform
import SQLKit
import Vapor
import Vocabulary

/// An RFC 6749 §5.2 error from the token endpoint.
struct OAuthError: Error {
    var status: HTTPResponseStatus = .badRequest
    var error: String
    var description: String

    func response() -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        if status == .unauthorized { headers.replaceOrAdd(name: .wwwAuthenticate, value: "Basic realm=\"token\"") }
        let body = try? JSONSerialization.data(
            withJSONObject: ["error": error, "error_description": description], options: [.sortedKeys])
        return Response(status: status, headers: headers, body: .init(data: body ?? Data()))
    }
}

extension OIDCController {
    struct TokenForm: Content {
        var grant_type: String?
        var code: String?
        var redirect_uri: String?
        var code_verifier: String?
        var client_id: String?
        var client_secret: String?
        var audience: String?
        var resource: String?
        var scope: String?
        var client_assertion_type: String?
        var client_assertion: String?
    }

    struct TokenResponse: Content {
        var access_token: String
        var token_type = "Bearer"
        var expires_in: Int
        var id_token: String?
        var scope: String
    }

    func token(req: Request) async throws -> Response {
        do {
            let tenant = try Self.tenant(req)
            guard let form = try? req.content.decode(TokenForm.self) else {
                throw OAuthError(
                    error: "invalid_request",
                    description: "Send the token request as application/x-www-form-urlencoded.")
            }
            let client = try await authenticateClient(req, form: form, tenant: tenant)
            let body: TokenResponse
            switch form.grant_type {
            case "authorization_code": body = try await exchangeCode(form, client: client, tenant: tenant)
            case "client_credentials":
                body = try await clientCredentials(form, client: client, tenant: tenant, req: req)
            case nil: throw OAuthError(error: "invalid_request", description: "grant_type is required.")
            default:
                throw OAuthError(
                    error: "unsupported_grant_type", description: "Use authorization_code or client_credentials.")
            }
            let response = try await body.encodeResponse(for: req)
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            response.headers.replaceOrAdd(name: .pragma, value: "no-cache")
            return response
        } catch let error as OAuthError {
            return error.response()
        }
    }

    /// HTTP Basic (client_secret_basic), form fields (client_secret_post), or a signed JWT (private_key_jwt, for
    /// backend clients, ``authenticateWithAssertion(_:form:tenant:)``).
    func authenticateClient(_ req: Request, form: TokenForm, tenant: Tenant) async throws -> ClientModel {
        if form.client_assertion != nil || form.client_assertion_type != nil {
            return try await authenticateWithAssertion(req, form: form, tenant: tenant)
        }
        var id = form.client_id
        var secret = form.client_secret
        if let basic = req.headers.basicAuthorization {
            id = basic.username.removingPercentEncoding ?? basic.username
            secret = basic.password.removingPercentEncoding ?? basic.password
        }
        if let id, try await service.client(id, tenant: tenant)?.isBackendClient == true {
            throw Self.invalidClient(
                "This client authenticates with a signed JWT (private_key_jwt, client_assertion), not a secret.")
        }
        guard let id, let secret,
            let client = try await service.authenticate(clientID: id, secret: secret, tenant: tenant)
        else {
            throw OAuthError(
                status: .unauthorized, error: "invalid_client", description: "Client authentication failed.")
        }
        return client
    }

    func exchangeCode(_ form: TokenForm, client: ClientModel, tenant: Tenant) async throws -> TokenResponse {
        guard client.allows(grant: "authorization_code") else {
            throw OAuthError(
                error: "unauthorized_client", description: "This client may not use the authorization code grant.")
        }
        guard let code = form.code, let verifier = form.code_verifier, let redirectURI = form.redirect_uri else {
            throw OAuthError(
                error: "invalid_request", description: "code, redirect_uri and code_verifier are required.")
        }
        let now = service.now().wholeSeconds
        let hash = Secrets.sha256Hex(code)
        guard let row = try await AuthorizationCodeModel.find(hash, on: service.db), row.tenant == tenant.rawValue
        else {
            throw OAuthError(error: "invalid_grant", description: "The authorization code is not valid.")
        }
        // Everything a wrong caller could get wrong is checked before the code is marked used, so a code sent
        // with another client or redirect_uri (or a wrong verifier) is refused without burning it for its client.
        guard row.clientID == client.id else {
            throw OAuthError(
                error: "invalid_grant", description: "The authorization code was issued to another client.")
        }
        guard row.redirectURI == redirectURI else {
            throw OAuthError(
                error: "invalid_grant", description: "redirect_uri does not match the authorization request.")
        }
        guard PKCE.verify(verifier: verifier, challenge: row.codeChallenge) else {
            throw OAuthError(
                error: "invalid_grant", description: "The code_verifier does not match the code_challenge.")
        }
        // Claim the code atomically: of two concurrent exchanges only one gets it.
        let claimed = try await service.write { db in
            try await db.sql.update(AuthorizationCodeModel.schema)
                .set("used_at", to: SQLBind(now))
                .where("code_hash", .equal, hash)
                .where("used_at", .is, SQLLiteral.null)
                .returning("code_hash")
                .all()
        }
        if claimed.isEmpty {
            // A replayed code: refuse it and revoke the tokens issued from it. Only userinfo consults the list;
            // resource servers verify offline and accept such a token until it expires (tokenLifetime).
            try await service.write { db in
                for jti in row.tokenIDs where try await RevokedTokenModel.find(jti, on: db) == nil {
                    try await RevokedTokenModel(
                        jti: jti, expiresAt: now.addingTimeInterval(service.config.tokenLifetime)
                    ).create(on: db)
                }
            }
            throw OAuthError(
                error: "invalid_grant",
                description: "The authorization code was already used. The tokens issued "
                    + "from it are refused at userinfo from now on and expire within \(Int(service.config.tokenLifetime / 60)) minutes."
            )
        }
        guard row.expiresAt > now else {
            throw OAuthError(error: "invalid_grant", description: "The authorization code has expired.")
        }
        guard let account = try await AccountModel.find(row.accountID, on: service.db), account.active else {
            throw OAuthError(error: "invalid_grant", description: "The account is no longer active.")
        }
        if tenant == .express, row.claims?.partnerID.flatMap(PartnerID.init(wire:)) == nil {
            throw OAuthError(error: "invalid_grant", description: "The account is not linked to a partner.")
        }
        let issuer = service.config.issuer(tenant)
        let subject = AccountID(try account.requireID()).wire
        // The client's allowed scopes may have narrowed since the code was issued.
        let scopes = ScopeGrant.granted(
            requested: row.scope, allowed: client.userScopes, tenant: tenant, staff: row.claims?.staffAccess ?? .none)
        let access = try await service.minter.accessToken(
            issuer: issuer, subject: subject, audience: client.userAudience ?? client.id!,
            scopes: scopes, clientID: client.id!, claims: row.claims, tenant: tenant, now: now,
            // Staff tokens name their holder, so Station's history says who moved a request.
            person: tenant == .staff ? (account.name, account.email) : nil)
        let idToken = IDTokenClaims(
            iss: .init(value: issuer), sub: .init(value: subject), aud: .init(value: [client.id!]),
            exp: .init(value: now.addingTimeInterval(service.config.tokenLifetime)), iat: .init(value: now),
            authTime: Int(row.authTime.timeIntervalSince1970), nonce: row.nonce, email: account.email,
            name: account.name,
            tenant: tenant.rawValue, userID: row.claims?.userID ?? (tenant == .express ? nil : subject),
            partnerID: row.claims?.partnerID, roles: row.claims?.roles, markets: row.claims?.markets)
        let signedID = try await service.minter.sign(idToken)
        try await service.write { db in
            try await AuthorizationCodeModel.query(on: db).filter(\.$id == hash).set(\.$tokenIDs, to: [access.jti])
                .update()
        }
        return TokenResponse(
            access_token: access.token, expires_in: Int(service.config.tokenLifetime), id_token: signedID,
            scope: scopes.joined(separator: " "))
    }

    func clientCredentials(_ form: TokenForm, client: ClientModel, tenant: Tenant, req: Request) async throws
        -> TokenResponse
    {
        guard client.allows(grant: "client_credentials") else {
            throw OAuthError(
                error: "unauthorized_client", description: "This client may not use the client credentials grant.")
        }
        if client.isBackendClient {
            return try await backendClientCredentials(form, client: client, tenant: tenant, req: req)
        }
        guard let audience = form.audience ?? form.resource, !audience.isEmpty else {
            throw OAuthError(error: "invalid_request", description: "Name the API with audience (or resource).")
        }
        let allowed = client.scopes(for: audience)
        guard !allowed.isEmpty else {
            throw OAuthError(error: "invalid_target", description: "This client may not call \(audience).")
        }
        let requested = Set((form.scope ?? "").split(separator: " ").map(String.init))
        guard requested.isSubset(of: allowed) else {
            throw OAuthError(
                error: "invalid_scope",
                description: "Not allowed: \(requested.subtracting(allowed).sorted().joined(separator: " ")).")
        }
        let scopes = (requested.isEmpty ? allowed : requested).sorted()
        let access = try await service.minter.accessToken(
            issuer: service.config.issuer(tenant), subject: client.id!, audience: audience, scopes: scopes,
            clientID: client.id!,
            claims: nil, tenant: tenant, now: service.now().wholeSeconds)
        req.logger.info(
            "m2m token issued", metadata: ["client_id": .string(client.id!), "audience": .string(audience)])
        return TokenResponse(
            access_token: access.token, expires_in: Int(service.config.tokenLifetime), id_token: nil,
            scope: scopes.joined(separator: " "))
    }
}
