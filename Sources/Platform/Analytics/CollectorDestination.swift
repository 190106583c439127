import AsyncHTTPClient
import Foundation
import NIOCore

/// A collector speaking Segment's HTTP tracking API: Segment, RudderStack or any compatible one. Each batch is one
/// `POST /v1/batch`, authenticated with the write key as Basic auth's user name.
struct CollectorDestination: AnalyticsDestination {
    let endpoint: String
    let authorization: String
    let client: HTTPClient

    var name: String { "collector" }
    var retries: Bool { true }

    init(url: URL, writeKey: String, client: HTTPClient = .shared) {
        endpoint = Self.batchEndpoint(url)
        authorization = "Basic \(Data("\(writeKey):".utf8).base64EncodedString())"
        self.client = client
    }

    /// `<url>/v1/batch`, or the URL as it is when it names that path already.
    static func batchEndpoint(_ url: URL) -> String {
        var text = url.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        return text.hasSuffix("/v1/batch") ? text : text + "/v1/batch"
    }

    func deliver(_ batch: AnalyticsBatch, timeout: Duration) async -> AnalyticsAttemptResult {
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Authorization", value: authorization)
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: batch.collectorBody(sentAt: Date())))
        do {
            let response = try await client.execute(request, timeout: .milliseconds(timeout.wholeMilliseconds))
            // Read the answer to its end (so the connection can be reused) without keeping or logging it.
            for try await _ in response.body {}
            switch response.status.code {
            case 200..<300: return .delivered
            case 429, 500...: return .tryAgain(detail: "status \(response.status.code)")
            default: return .dropped(.rejected, detail: "status \(response.status.code)")
            }
        } catch {
            return .tryAgain(detail: "\(error)")
        }
    }
}

extension Duration {
    /// At least one millisecond.
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
