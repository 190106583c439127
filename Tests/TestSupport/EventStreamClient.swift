import AsyncHTTPClient
import Foundation
import Vapor

/// Reads a server-sent events response over real HTTP, one event at a time (comments and `retry:` skipped): for a
/// live page's stream, opened with a browser's session cookie.
package struct EventStreamClient {
    package struct Event: Equatable, Sendable {
        package var id: String?
        package var event: String?
        package var data: String

        package init(id: String? = nil, event: String? = nil, data: String) {
            self.id = id
            self.event = event
            self.data = data
        }
    }

    var body: HTTPClientResponse.Body.AsyncIterator
    var buffer = ""
    package let status: HTTPResponseStatus
    package let contentType: String?

    /// Opens `url` with `headers` (the session cookie, `Last-Event-ID`).
    package static func open(_ client: HTTPClient, _ url: String, headers: [(String, String)]) async throws
        -> EventStreamClient
    {
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await client.execute(request, timeout: .seconds(30))
        return EventStreamClient(
            body: response.body.makeAsyncIterator(), status: response.status,
            contentType: response.headers.first(name: "Content-Type"))
    }

    /// The next event with data, or nil when the stream ended.
    package mutating func nextEvent() async throws -> Event? {
        while true {
            while let end = buffer.range(of: "\n\n") {
                let block = String(buffer[..<end.lowerBound])
                buffer.removeSubrange(..<end.upperBound)
                var event = Event(data: "")
                var hasData = false
                for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                    if line.hasPrefix("id: ") { event.id = String(line.dropFirst(4)) }
                    if line.hasPrefix("event: ") { event.event = String(line.dropFirst(7)) }
                    if line.hasPrefix("data:") {
                        event.data = String(line.dropFirst(5)).trimmingCharacters(in: .whitespaces)
                        hasData = true
                    }
                }
                if hasData { return event }
            }
            guard let chunk = try await body.next() else { return nil }
            buffer += String(buffer: chunk)
        }
    }
}
