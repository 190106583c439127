import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

/// An OpenID Connect provider's discovery documents (OpenID Connect Discovery 1.0), fetched, checked and kept:
/// the one client the relying party, the machine-token source and the JWKS source read endpoints from.
package actor OIDCDiscovery {
    /// The fields of a discovery document that our clients use.
    package struct Document: Decodable, Sendable, Equatable {
        package var issuer: String
        package var authorizationEndpoint: String?
        package var tokenEndpoint: String?
        package var jwksURI: String?
        package var endSessionEndpoint: String?

        enum CodingKeys: String, CodingKey {
            case issuer
            case authorizationEndpoint = "authorization_endpoint"
            case tokenEndpoint = "token_endpoint"
            case jwksURI = "jwks_uri"
            case endSessionEndpoint = "end_session_endpoint"
        }
    }

    /// Why a discovery document could not be used.
    package enum Failure: Error, CustomStringConvertible, Sendable {
        /// The provider answered with another status than 200, or a body that is not a discovery document.
        case unavailable(issuer: String, status: Int)
        /// The document names another issuer than the one it was fetched for (section 4.3).
        case mismatch(IssuerMismatch)
        /// The document lacks an endpoint the caller needs.
        case missing(String, issuer: String)

        package var description: String {
            switch self {
            case .unavailable(let issuer, let status): "discovery at \(issuer) answered HTTP \(status)"
            case .mismatch(let mismatch): mismatch.description
            case .missing(let field, let issuer): "the discovery document of \(issuer) has no \(field)"
            }
        }
    }

    private let client: HTTPClient
    private var documents: [String: Document] = [:]

    package init(client: HTTPClient = .shared) {
        self.client = client
    }

    /// `issuer`'s discovery document, fetched once and kept; `refresh` fetches it again.
    package func document(for issuer: String, refresh: Bool = false) async throws -> Document {
        if !refresh, let document = documents[issuer] { return document }
        let document = try await fetch(issuer)
        documents[issuer] = document
        return document
    }

    /// Fetches `issuer`'s document, always from the provider, and checks that it names `issuer`.
    private func fetch(_ issuer: String) async throws -> Document {
        let document: Document = try await getJSON(issuer + "/.well-known/openid-configuration", issuer: issuer)
        guard document.issuer == issuer else {
            throw Failure.mismatch(IssuerMismatch(expected: issuer, named: document.issuer))
        }
        return document
    }

    /// GETs a JSON document of at most 1 MiB from the provider of `issuer` (its discovery document or key set).
    package func getJSON<T: Decodable>(_ url: String, issuer: String) async throws -> T {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        TraceContext.current?.stamp(&request)
        let response = try await client.execute(request, timeout: ServiceCallTimeout.amount(5))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok, let value = try? JSONDecoder().decode(T.self, from: Data(buffer: body)) else {
            throw Failure.unavailable(issuer: issuer, status: Int(response.status.code))
        }
        return value
    }
}
