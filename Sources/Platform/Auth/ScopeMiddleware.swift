import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Checks the caller's scope for each operation of a generated API before its request is even parsed,
/// so a caller without the right to an operation learns nothing from its validation errors.
///
/// Deny by default: an operation missing from `requirements` is refused, so a new endpoint cannot ship
/// open by accident. A `nil` requirement admits any valid token. Operations in `withoutBearer` take no token
/// (another middleware authenticates them, such as a webhook's signature check).
package struct ScopeMiddleware: ServerMiddleware {
    package let requirements: [String: String?]
    package let withoutBearer: Set<String>

    package init(_ requirements: [String: String?], withoutBearer: Set<String> = []) {
        self.requirements = requirements
        self.withoutBearer = withoutBearer
    }

    package func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    )
        async throws -> (HTTPResponse, HTTPBody?)
    {
        if withoutBearer.contains(operationID) { return try await next(request, body, metadata) }
        guard let principal = Principal.current else { throw BearerAuthMiddleware.missingToken }
        guard let requirement = requirements[operationID] else {
            throw Problem.forbidden("Operation \(operationID) has no access rule.")
        }
        if let scope = requirement { try principal.require(scope: scope) }
        return try await next(request, body, metadata)
    }
}
