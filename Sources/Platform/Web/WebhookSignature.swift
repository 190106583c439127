import Crypto
import Foundation

/// Standard Webhooks signatures: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, checked in constant time,
/// with a timestamp tolerance against replays of old deliveries.
public struct WebhookSignature: Sendable {
    public let key: SymmetricKey

    /// `secret` as Standard Webhooks writes it (`whsec_<base64>`) or raw text.
    public init(secret: String) {
        if secret.hasPrefix("whsec_"), let data = Data(base64Encoded: String(secret.dropFirst(6))) {
            key = SymmetricKey(data: data)
        } else {
            key = SymmetricKey(data: Data(secret.utf8))
        }
    }

    public func sign(id: String, timestamp: Int, body: Data) -> String {
        var message = Data("\(id).\(timestamp).".utf8)
        message.append(body)
        return "v1," + Data(HMAC<SHA256>.authenticationCode(for: message, using: key)).base64EncodedString()
    }

    public enum Refusal: Error, Equatable {
        case badTimestamp
        case tooOld
        case badSignature
    }

    /// Checks a delivery; the header may carry several space-separated signatures (during key rotation).
    public func verify(id: String, timestamp: String, signatures: String, body: Data, now: Date,
                       tolerance: TimeInterval = 300) throws(Refusal) {
        guard let seconds = Int(timestamp) else { throw .badTimestamp }
        guard abs(now.timeIntervalSince1970 - Double(seconds)) <= tolerance else { throw .tooOld }
        let expected = Array(sign(id: id, timestamp: seconds, body: body).utf8)
        for candidate in signatures.split(separator: " ").map({ Array($0.utf8) }) where candidate.count == expected.count {
            if zip(candidate, expected).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 { return }
        }
        throw .badSignature
    }
}
