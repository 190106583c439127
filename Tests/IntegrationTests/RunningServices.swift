import AsyncHTTPClient
import Foundation
@testable import Identity
import NIOCore
import NIOHTTP1
import Platform
import TestSupport
import Vapor

/// Services started on real ports, talking real HTTP, as `selfsched serve` runs them.
struct RunningIdentity {
    let app: Application
    let port: Int
    let secrets: [String: String]
    var baseURL: String { "http://127.0.0.1:\(port)" }

    static func with(hook: any PostLoginHook, _ body: (RunningIdentity) async throws -> Void) async throws {
        // Identity's issuer names its port, so the port is chosen first; if someone takes it meanwhile, try another.
        for attempt in 1...3 {
            do {
                return try await once(hook: hook, body)
            } catch where isAddressInUse(error) && attempt < 3 {
                continue
            }
        }
    }

    static func once(hook: any PostLoginHook, _ body: (RunningIdentity) async throws -> Void) async throws {
        let app = try await Application.make(.testing)
        let database = try await TestDatabase.make(on: app)
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("it-\(UUID().uuidString)").path
        let port = freePort()
        do {
            var config = IdentityConfig(endpoint: ServiceEndpoint(port: port), database: database.location,
                                        publicURL: "http://127.0.0.1:\(port)", dataDirectory: dataDirectory)
            config.expressWebURL = "http://localhost:8080"
            try IdentityApp.configure(app, config: config, hook: hook)
            let secrets = try await IdentityApp.prepare(app, seedDemo: true)
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
            try await body(RunningIdentity(app: app, port: port, secrets: secrets))
        } catch {
            await app.server.shutdown()
            await database.drop()
            try await app.asyncShutdown()
            throw error
        }
        await app.server.shutdown()
        await database.drop()
        try? FileManager.default.removeItem(atPath: dataDirectory)
        try await app.asyncShutdown()
    }
}

/// A minimal browser over real HTTP: keeps cookies, never follows redirects.
final class HTTPBrowser: @unchecked Sendable {
    var cookies: [String: String] = [:]
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    func shutdown() async throws { try await client.shutdown() }

    struct Page {
        var status: Int
        var location: String?
        var body: String
    }

    func send(_ method: HTTPMethod, _ url: String, form: [(String, String)]? = nil) async throws -> Page {
        var request = HTTPClientRequest(url: url)
        request.method = method
        let host = URL(string: url)?.host ?? ""
        let jar = cookies.filter { $0.key.hasPrefix(host + "|") }.map { "\($0.key.dropFirst(host.count + 1))=\($0.value)" }
        if !jar.isEmpty { request.headers.add(name: "Cookie", value: jar.joined(separator: "; ")) }
        if let form {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: form.map { "\($0)=\(Self.encode($1))" }.joined(separator: "&")))
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        for header in response.headers["Set-Cookie"] {
            let pair = header.split(separator: ";").first.map(String.init) ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { cookies["\(host)|\(parts[0])"] = parts[1] }
        }
        let body = try await response.body.collect(upTo: 1 << 20)
        return Page(status: Int(response.status.code), location: response.headers.first(name: "Location"), body: String(buffer: body))
    }

    static func encode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed)!
    }

    /// The hidden and text inputs of the first form on a page.
    static func inputs(_ html: String) -> [(String, String)] {
        let pattern = try! NSRegularExpression(pattern: #"<input[^>]*name="([^"]+)"[^>]*value="([^"]*)""#)
        return pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { match in
            let name = String(html[Range(match.range(at: 1), in: html)!])
            let value = String(html[Range(match.range(at: 2), in: html)!])
                .replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&quot;", with: "\"")
                .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&lt;", with: "<")
                .replacingOccurrences(of: "&gt;", with: ">")
            return (name, value)
        }
    }

    static func query(_ location: String?) -> [String: String] {
        guard let location, let items = URLComponents(string: location)?.queryItems else { return [:] }
        return Dictionary(items.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { a, _ in a })
    }
}

/// The hook double: every Sunrise demo user is a scheduler.
struct SunriseHook: PostLoginHook {
    func claims(forEmail email: String) async throws -> HookDecision {
        .allow(HookClaims(userID: "u-\(email)", partnerID: "5a7e0000-0000-4000-8000-000000000001", roles: ["scheduler"]))
    }
}
