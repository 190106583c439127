import Foundation
import Vapor
import VaporTesting

/// What tests read from an HTTP response, whether it was sent in-process (`TestingHTTPResponse`) or over a
/// socket by a `TestBrowser` (`BrowserResponse`).
package protocol HTTPResponseReading {
    var status: HTTPStatus { get }
    var headers: HTTPHeaders { get }
    var body: ByteBuffer { get }
}

extension TestingHTTPResponse: HTTPResponseReading {}

extension HTTPResponseReading {
    /// The body as UTF-8 text.
    package var text: String { String(buffer: body) }

    /// Where a redirect points.
    package var location: String? { headers.first(name: .location) }

    /// The body as a JSON object (empty when it is not one).
    package var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }

    /// The body as a JSON array of objects (empty when it is not one).
    package var array: [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [[String: Any]] ?? []
    }

    package var isProblem: Bool { headers.first(name: .contentType) == "application/problem+json" }

    /// The fields a validation problem names.
    package var problemFields: [String] {
        (object["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }
}

/// The query parameters of where `response` redirects to (empty when it does not).
package func redirectQuery(_ response: some HTTPResponseReading) -> [String: String] {
    queryParameters(response.location)
}

/// The query parameters of a URL or path (the first value of a repeated name wins).
package func queryParameters(_ url: String?) -> [String: String] {
    guard let url, let items = URLComponents(string: url)?.queryItems else { return [:] }
    return Dictionary(items.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
}
