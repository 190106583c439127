// swift-format-ignore-file: AlwaysUseLowerCamelCase
// (OAuth wire names: form fields are snake_case by their standards.)

import Fluent
import Foundation
import IdentityDomain
import Platform
import Vapor
import Vocabulary

/// SMART Backend Services at the token endpoint: a backend client authenticates with a JWT signed by its key
/// (RFC 7523 `private_key_jwt`) and gets a short token for Station's FHIR API, bound to its partner.
extension OIDCController {
    static let jwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    /// The only API a backend client's tokens are for.
    static let backendAudience = "station"
    static let backendTokenLifetime: TimeInterval = 300

    static func invalidClient(_ description: String) -> OAuthError {
        OAuthError(status: .unauthorized, error: "invalid_client", description: description)
    }

    func authenticateWithAssertion(_ req: Request, form: TokenForm, tenant: Tenant) async throws -> ClientModel {
        guard req.headers.basicAuthorization == nil, form.client_secret == nil else {
            throw OAuthError(
                error: "invalid_request", description: "Use one client authentication method: the assertion alone.")
        }
        guard form.client_assertion_type == Self.jwtBearer else {
            throw Self.invalidClient("client_assertion_type must be \(Self.jwtBearer).")
        }
        guard let assertion = form.client_assertion, !assertion.isEmpty else {
            throw Self.invalidClient("client_assertion is required with client_assertion_type.")
        }
        guard let subject = Self.unverifiedSubject(assertion) else {
            throw Self.invalidClient("The client_assertion has no sub naming the client.")
        }
        if let id = form.client_id, id != subject {
            throw Self.invalidClient("client_id does not match the assertion's sub.")
        }
        guard let client = try await service.client(subject, tenant: tenant) else {
            throw Self.invalidClient("No client \(subject) is registered here.")
        }
        guard let stored = client.jwks else {
            throw Self.invalidClient("This client authenticates with its secret, not a signed JWT.")
        }
        let claims: ClientAssertionClaims
        do {
            claims = try await ClientAssertionVerifier.verify(assertion, keys: BackendClientKeySet(stored: stored))
        } catch let refusal as ClientAssertionVerifier.Refusal {
            throw Self.invalidClient(refusal.description)
        }
        let now = service.now()
        let issuer = service.config.issuer(tenant)
        if let failure = ClientAssertionRules.failure(
            of: claims, clientID: subject, tokenURL: "\(issuer)/token", issuer: issuer, now: now)
        {
            throw Self.invalidClient(failure.description)
        }
        guard
            try await ClientAssertionJTIs.claim(
                claims.jwtID!, clientID: subject, expiresAt: claims.expiresAt!, now: now, service: service)
        else {
            throw Self.invalidClient(
                "The assertion's jti was used before: sign a new assertion (new jti) for every token request.")
        }
        return client
    }

    /// The `sub` of an assertion not verified yet: only to find whose keys to verify it with.
    static func unverifiedSubject(_ assertion: String) -> String? {
        let parts = assertion.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = Secrets.base64URLDecoded(parts[1]),
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let subject = object["sub"] as? String, !subject.isEmpty
        else { return nil }
        return subject
    }

    func backendClientCredentials(_ form: TokenForm, client: ClientModel, tenant: Tenant, req: Request) async throws
        -> TokenResponse
    {
        let audience = form.audience ?? form.resource ?? Self.backendAudience
        guard audience == Self.backendAudience else {
            throw OAuthError(
                error: "invalid_target", description: "A backend client's tokens are for \(Self.backendAudience) only.")
        }
        guard let clientID = client.id, let partner = client.partnerID else {
            throw Self.invalidClient("This backend client is not bound to a partner.")
        }
        let scopes: [String]
        switch SMARTScopes.grant(requested: form.scope, allowed: client.scopes(for: audience).sorted()) {
        case .granted(let granted): scopes = granted
        case .refused(let refused):
            throw OAuthError(
                error: "invalid_scope",
                description: "Not allowed: \(refused.joined(separator: " ")). This client may have "
                    + "\(client.scopes(for: audience).sorted().joined(separator: " ")).")
        }
        let now = service.now().wholeSeconds
        let claims = AccessTokenClaims(
            iss: service.config.issuer(tenant), sub: clientID, aud: [audience],
            exp: now.addingTimeInterval(Self.backendTokenLifetime), nbf: now.addingTimeInterval(-5), iat: now,
            jti: UUID().uuidString.lowercased(), scope: scopes.joined(separator: " "), clientID: clientID,
            partnerID: PartnerID(partner).wire, tenant: tenant.rawValue)
        let token = try await service.minter.sign(claims)
        try await service.write { db in
            try await ClientModel.query(on: db).filter(\.$id == clientID).set(\.$lastUsedAt, to: now).update()
        }
        req.logger.info(
            "backend token issued",
            metadata: ["client_id": .string(clientID), "partner_id": .string(PartnerID(partner).wire)])
        return TokenResponse(
            access_token: token, expires_in: Int(Self.backendTokenLifetime), id_token: nil,
            scope: scopes.joined(separator: " "))
    }
}
