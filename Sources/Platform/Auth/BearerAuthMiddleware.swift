import Foundation
import Vapor

/// Requires a valid bearer token and makes its ``Principal`` current for the rest of the request.
///
/// When `optional`, a request without a token passes with no principal, and ``ScopeMiddleware`` refuses it for
/// every operation that needs one (with the same problem); a token that is sent must still be valid.
package struct BearerAuthMiddleware: AsyncMiddleware {
    package let verifier: TokenVerifier
    package let optional: Bool

    package init(verifier: TokenVerifier, optional: Bool = false) {
        self.verifier = verifier
        self.optional = optional
    }

    package static var missingToken: Problem {
        Problem.unauthorized("A bearer token is required: send Authorization: Bearer <access token>.")
    }

    package func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let token = request.headers.bearerAuthorization?.token else {
            if optional { return try await next.respond(to: request) }
            throw Self.missingToken
        }
        let claims: AccessTokenClaims
        do {
            claims = try await verifier.verify(token)
        } catch .keysUnavailable {
            throw Problem.unavailable("The identity provider's signing keys could not be fetched; try again shortly.")
        } catch {
            request.logger.info("bearer token refused", metadata: ["reason": "\(error)"])
            throw Problem.unauthorized(
                "The bearer token is not valid for this service (expired, wrong audience or issuer, or bad signature).")
        }
        let principal = Principal(
            subject: claims.sub.value, issuer: claims.iss.value, clientID: claims.clientID, scopes: claims.scopes,
            partnerID: claims.partnerID.flatMap(UUID.init(uuidString:)), userID: claims.userID,
            roles: claims.roles ?? [], markets: claims.markets, name: claims.name, email: claims.email)
        if claims.partnerID != nil, principal.partnerID == nil {
            throw Problem.unauthorized("The bearer token names a partner that is not a valid id.")
        }
        return try await Principal.$current.withValue(principal) {
            try await next.respond(to: request)
        }
    }
}
