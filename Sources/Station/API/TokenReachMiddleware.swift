import HTTPTypes
import OpenAPIRuntime
import Platform
import StationDomain
import Vocabulary

/// Refuses (403) a token that may not reach what an operation touches (``TokenReach``), before the request is parsed.
/// Deny by default: an operation missing from `referenceOperations` counts as touching partner data.
struct TokenReachMiddleware: ServerMiddleware {
    let referenceOperations: Set<String>
    /// Staff-only operations, which refuse partner tokens as well (``TokenReach/Operation/staffData``).
    var staffOperations: Set<String> = []

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    )
        async throws -> (HTTPResponse, HTTPBody?)
    {
        let principal = try Principal.authenticated()
        let reach = TokenReach(principal)
        let operation: TokenReach.Operation =
            staffOperations.contains(operationID)
            ? .staffData : referenceOperations.contains(operationID) ? .referenceData : .partnerData
        if let refusal = reach.refusal(for: operation) {
            throw Problem.forbidden(refusal)
        }
        return try await next(request, body, metadata)
    }
}

extension TokenReach {
    init(_ principal: Principal) {
        self.init(
            issuer: principal.issuer, subject: principal.subject, clientID: principal.clientID,
            partnerID: principal.partnerID.map { PartnerID($0) }, scopes: principal.scopes)
    }
}
