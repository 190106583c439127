import Crypto
import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Standard Webhooks signatures: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, checked in constant time,
/// with a timestamp tolerance against replays of old deliveries.
package struct WebhookSignature: Sendable {
    package let key: SymmetricKey

    /// `secret` as Standard Webhooks writes it (`whsec_<base64>`) or raw text.
    package init(secret: String) {
        if secret.hasPrefix("whsec_"), let data = Data(base64Encoded: String(secret.dropFirst(6))) {
            key = SymmetricKey(data: data)
        } else {
            key = SymmetricKey(data: Data(secret.utf8))
        }
    }

    package func sign(id: String, timestamp: Int, body: Data) -> String {
        var message = Data("\(id).\(timestamp).".utf8)
        message.append(body)
        return "v1," + Data(HMAC<SHA256>.authenticationCode(for: message, using: key)).base64EncodedString()
    }

    package enum Refusal: Error, Equatable {
        case badTimestamp
        case tooOld
        case badSignature
    }

    /// Checks a delivery; the header may carry several space-separated signatures (during key rotation).
    package func verify(
        id: String, timestamp: String, signatures: String, body: Data, now: Date,
        tolerance: TimeInterval = 300
    ) throws(Refusal) {
        guard let seconds = Int(timestamp) else { throw .badTimestamp }
        guard abs(now.timeIntervalSince1970 - Double(seconds)) <= tolerance else { throw .tooOld }
        let expected = sign(id: id, timestamp: seconds, body: body)
        for candidate in signatures.split(separator: " ") where Secrets.constantTimeEqual(candidate, expected) {
            return
        }
        throw .badSignature
    }
}

/// Signs outgoing webhook deliveries over the exact bytes a generated client sends: it reads the
/// `webhook-id` and `webhook-timestamp` headers the caller set and fills in `webhook-signature`.
package struct WebhookSigningMiddleware: ClientMiddleware {
    let signature: WebhookSignature

    package init(secret: String) { signature = WebhookSignature(secret: secret) }

    package func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    )
        async throws -> (HTTPResponse, HTTPBody?)
    {
        guard let idName = HTTPField.Name("webhook-id"), let timeName = HTTPField.Name("webhook-timestamp"),
            let signatureName = HTTPField.Name("webhook-signature"),
            let id = request.headerFields[idName], let timestamp = request.headerFields[timeName].flatMap(Int.init)
        else { return try await next(request, body, baseURL) }
        var bytes = Data()
        if let body { bytes = try await Data(collecting: body, upTo: 1 << 20) }
        var request = request
        request.headerFields[signatureName] = signature.sign(id: id, timestamp: timestamp, body: bytes)
        return try await next(request, HTTPBody(bytes), baseURL)
    }
}
