import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Verifies the Standard Webhooks signature of the signed operations of a generated API over the raw body,
/// before it is parsed; each operation has its own secret, other operations pass untouched. Register the
/// operations as `withoutBearer` (``RoutesBuilder/registerOpenAPI(bearer:scopes:withoutBearer:serverURL:middlewares:_:)``):
/// the signature is their authentication.
package struct WebhookVerificationMiddleware: ServerMiddleware {
    let signatures: [String: WebhookSignature]
    let now: @Sendable () -> Date

    package init(signatures: [String: WebhookSignature], now: @escaping @Sendable () -> Date) {
        self.signatures = signatures
        self.now = now
    }

    package func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    )
        async throws -> (HTTPResponse, HTTPBody?)
    {
        guard let signature = signatures[operationID] else { return try await next(request, body, metadata) }
        func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { request.headerFields[$0] } }
        guard let id = header("webhook-id"), let timestamp = header("webhook-timestamp"),
            let signatures = header("webhook-signature")
        else {
            throw Problem.unauthorized("The delivery must carry webhook-id, webhook-timestamp and webhook-signature.")
        }
        var bytes = Data()
        if let body { bytes = try await Data(collecting: body, upTo: 64 * 1024) }
        do {
            try signature.verify(id: id, timestamp: timestamp, signatures: signatures, body: bytes, now: now())
        } catch {
            throw Problem.unauthorized("The delivery's signature is not valid (\(error)).")
        }
        return try await next(request, HTTPBody(bytes), metadata)
    }
}
