// swift-format-ignore-file: AlwaysUseLowerCamelCase
// (OAuth and OpenID Connect wire names: form fields and JSON keys are snake_case by their standards.)

import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import NIOFoundationCompat
import OpenAPIRuntime

/// Where a service gets the bearer token for its calls to another service.
package protocol AccessTokenSource: Sendable {
    func token() async throws -> String
}

/// Machine-to-machine tokens by the client credentials grant, cached until shortly before they expire.
package actor ClientCredentialsTokenSource: AccessTokenSource {
    package let issuer: String
    package let clientID: String
    private let clientSecret: String
    package let audience: String
    package let scopes: [String]
    private let client: HTTPClient
    private let discovery: OIDCDiscovery
    private var cached: (token: String, expires: Date)?

    package init(
        issuer: String, clientID: String, clientSecret: String, audience: String, scopes: [String],
        client: HTTPClient = .shared,
        discovery: OIDCDiscovery? = nil
    ) {
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.audience = audience
        self.scopes = scopes
        self.client = client
        self.discovery = discovery ?? OIDCDiscovery(client: client)
    }

    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    package func token() async throws -> String {
        if let cached, cached.expires > Date().addingTimeInterval(60) { return cached.token }
        let endpoint = try await discoverTokenEndpoint()
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        TraceContext.current?.stamp(&request)
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let credentials = Data("\(Self.formEncode(clientID)):\(Self.formEncode(clientSecret))".utf8)
            .base64EncodedString()
        request.headers.add(name: "Authorization", value: "Basic \(credentials)")
        var form = "grant_type=client_credentials&audience=\(Self.formEncode(audience))"
        if !scopes.isEmpty { form += "&scope=\(Self.formEncode(scopes.joined(separator: " ")))" }
        request.body = .bytes(ByteBuffer(string: form))
        let response = try await client.execute(request, timeout: ServiceCallTimeout.amount(5))
        let body = try await response.body.collect(upTo: 1 << 20)
        struct TokenResponse: Decodable {
            var access_token: String
            var expires_in: Int?
        }
        guard response.status == .ok,
            let decoded = try? JSONDecoder().decode(TokenResponse.self, from: Data(buffer: body))
        else {
            throw Failure(
                description:
                    "The identity provider refused client \(clientID) a token for \(audience) (HTTP \(response.status.code))."
            )
        }
        cached = (decoded.access_token, Date().addingTimeInterval(TimeInterval(decoded.expires_in ?? 300)))
        return decoded.access_token
    }

    private func discoverTokenEndpoint() async throws -> String {
        do {
            guard let endpoint = try await discovery.document(for: issuer).tokenEndpoint else {
                throw OIDCDiscovery.Failure.missing("token_endpoint", issuer: issuer)
            }
            return endpoint
        } catch let failure as OIDCDiscovery.Failure {
            throw Failure(description: "The identity provider at \(issuer) did not answer discovery: \(failure).")
        }
    }

    static func formEncode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}

/// A token source from a closure (a service that mints its own tokens, or a test).
package struct ClosureTokenSource: AccessTokenSource {
    let make: @Sendable () async throws -> String
    package init(_ make: @escaping @Sendable () async throws -> String) { self.make = make }
    package func token() async throws -> String { try await make() }
}

/// Attaches a bearer token to every request of a generated OpenAPI client.
package struct BearerTokenMiddleware: ClientMiddleware {
    let source: any AccessTokenSource

    package init(_ source: any AccessTokenSource) { self.source = source }

    package func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    )
        async throws -> (HTTPResponse, HTTPBody?)
    {
        var request = request
        request.headerFields[.authorization] = "Bearer \(try await source.token())"
        return try await next(request, body, baseURL)
    }
}
