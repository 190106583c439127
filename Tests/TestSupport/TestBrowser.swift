import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import Vapor
import VaporTesting

/// A response a `TestBrowser` received.
package struct BrowserResponse: HTTPResponseReading, Sendable {
    /// The path or URL this answered.
    package var target: String
    package var status: HTTPStatus
    package var headers: HTTPHeaders
    package var body: ByteBuffer
}

/// A browser for tests: it keeps the cookies each site sets and sends them back, posts forms, and, like the
/// harnesses always have, does not follow redirects (a test reads `location` and calls `follow` when it wants to).
/// It talks to one application in-process, or to real servers over HTTP.
package final class TestBrowser: Sendable {
    private enum Transport {
        case inProcess(Application)
        case network(HTTPClient)
    }

    private let transport: Transport
    private let jar = NIOLockedValueBox<[String: [String: String]]>([:])
    /// Fields added to every form this browser posts, unless the test leaves them out (a page's CSRF token).
    private let formDefaults: NIOLockedValueBox<[String: String]>

    private init(_ transport: Transport, formDefaults: [String: String]) {
        self.transport = transport
        self.formDefaults = NIOLockedValueBox(formDefaults)
    }

    /// A browser for `app`, in-process: requests name paths (`/care-requests`).
    package convenience init(app: Application, cookies: [String: String] = [:], formDefaults: [String: String] = [:]) {
        self.init(.inProcess(app), formDefaults: formDefaults)
        for (name, value) in cookies { setCookie(name, value) }
    }

    /// A browser over real HTTP: requests name whole URLs, cookies are kept per host. Call `shutdown()` when done.
    package static func network() -> TestBrowser {
        TestBrowser(
            .network(
                HTTPClient.forTests(followingRedirects: false)),
            formDefaults: [:])
    }

    package func shutdown() async throws {
        if case .network(let client) = transport { try await client.shutdown() }
    }

    /// The value of a cookie set for `url`'s host (or, in-process, for the app).
    package func cookie(_ name: String, for url: String = "") -> String? {
        jar.withLockedValue { $0[Self.host(url)]?[name] }
    }

    package func setCookie(_ name: String, _ value: String?, for url: String = "") {
        jar.withLockedValue { $0[Self.host(url), default: [:]][name] = value }
    }

    package func setFormDefault(_ name: String, _ value: String?) { formDefaults.withLockedValue { $0[name] = value } }

    package func get(_ target: String, headers: HTTPHeaders = [:]) async throws -> BrowserResponse {
        try await send(.GET, target, headers: headers)
    }

    /// Posts a form; the browser's form defaults are added unless `defaults` is false or the form names them.
    package func post(_ target: String, _ form: [String: String] = [:], defaults: Bool = true) async throws
        -> BrowserResponse
    {
        let fields = defaults ? form.merging(formDefaults.withLockedValue { $0 }) { mine, _ in mine } : form
        return try await send(.POST, target, form: fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    package func send(_ method: HTTPMethod, _ target: String, form: [String: String]) async throws -> BrowserResponse {
        try await send(method, target, form: form.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// Sends one request with this browser's cookies and keeps the cookies the response sets.
    package func send(
        _ method: HTTPMethod, _ target: String, form: [(String, String)]? = nil,
        headers extra: HTTPHeaders = [:]
    ) async throws -> BrowserResponse {
        let host = Self.host(target)
        var headers = extra
        let cookies = jar.withLockedValue { $0[host] ?? [:] }
        if !cookies.isEmpty {
            headers.replaceOrAdd(
                name: .cookie,
                value: cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        var body: ByteBuffer?
        if let form {
            headers.contentType = .urlEncodedForm
            body = ByteBuffer(string: formEncoded(form))
        }
        let response: BrowserResponse
        switch transport {
        case .inProcess(let app):
            let answer = try await app.testing().sendRequest(method, target, headers: headers, body: body)
            response = BrowserResponse(
                target: target, status: answer.status, headers: answer.headers, body: answer.body)
        case .network(let client):
            var request = HTTPClientRequest(url: target)
            request.method = method
            request.headers = headers
            if let body { request.body = .bytes(body) }
            // Longer than any service-to-service call the page may make (SERVICE_CALL_TIMEOUT_SECONDS, 15 in the
            // test command): a page answers before its browser gives up, so no test ends with its request in flight.
            let answer = try await client.execute(request, timeout: .seconds(60))
            response = BrowserResponse(
                target: target, status: answer.status, headers: answer.headers,
                body: try await answer.body.collect(upTo: 1 << 20))
        }
        keepCookies(of: response, host: host)
        return response
    }

    /// Follows a redirect with a GET, as a browser does after a 30x; any other response is returned as it is.
    package func follow(_ response: BrowserResponse) async throws -> BrowserResponse {
        guard (300..<400).contains(response.status.code), let location = response.location else { return response }
        if case .network = transport, let url = URL(string: location, relativeTo: URL(string: response.target)) {
            return try await get(url.absoluteString)
        }
        return try await get(location)
    }

    private func keepCookies(of response: BrowserResponse, host: String) {
        for header in response.headers[.setCookie] {
            let attributes = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            let pair = (attributes.first ?? "").split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                .map(String.init)
            guard pair.count == 2 else { continue }
            let expired = attributes.dropFirst().contains {
                $0.lowercased().hasPrefix("max-age=") && (Int($0.dropFirst(8)) ?? 1) <= 0
            }
            let value = pair[1].isEmpty || expired ? nil : pair[1]
            jar.withLockedValue { $0[host, default: [:]][pair[0]] = value }
        }
    }

    private static func host(_ target: String) -> String {
        target.hasPrefix("/") || target.isEmpty ? "" : URL(string: target)?.host ?? ""
    }
}
