import ExpressInternalAPI
import Foundation
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import Platform
import PolicyAPI
import StationAPI

/// A downstream service that did not answer: the user sees what happened and what to do.
package struct Unavailable: Error, CustomStringConvertible {
    package var service: String
    package var description: String

    package init(service: String, description: String) {
        self.service = service
        self.description = description
    }
}

/// OSS's collaborators: Station, Policy and Express, each behind its own small seam.
package struct Downstream: Sendable {
    package let station: any StationGateway
    package let policy: any PolicyGateway
    package let express: any ExpressGateway

    package init(station: any StationGateway, policy: any PolicyGateway, express: any ExpressGateway) {
        self.station = station
        self.policy = policy
        self.express = express
    }

    /// The production collaborators: the generated clients over HTTP, with machine tokens for each audience.
    package static func live(_ config: OSSConfig) throws -> Downstream {
        func tokens(_ audience: String, _ scopes: [String]) -> ClientCredentialsTokenSource {
            ClientCredentialsTokenSource(
                issuer: config.machineIssuer, clientID: "oss-m2m", clientSecret: config.machineClientSecret,
                audience: audience, scopes: scopes)
        }
        return try live(
            stationURL: config.stationURL, policyURL: config.policyURL, expressURL: config.expressURL,
            webhookSecret: config.webhookSecret, tokens: tokens)
    }

    /// The live collaborators at these addresses, with tokens from `tokens(audience, scopes)` (tests pass a test issuer's).
    package static func live(
        stationURL: String, policyURL: String, expressURL: String, webhookSecret: String,
        tokens: (String, [String]) -> any AccessTokenSource
    ) throws -> Downstream {
        func url(_ raw: String) throws -> URL {
            guard let url = URL(string: raw) else { throw ConfigurationError("\(raw) is not a URL.") }
            return url
        }
        let transport = AsyncHTTPClientTransport(configuration: .init(timeout: ServiceCallTimeout.amount(5)))
        let station = StationAPI.Client(
            serverURL: try url(stationURL), configuration: .standard, transport: transport,
            middlewares: [
                TraceClientMiddleware(),
                BearerTokenMiddleware(
                    tokens(
                        "station",
                        [
                            "station.patients.read", "station.patients.write", "station.care_requests.read",
                            "station.care_requests.write",
                        ])),
            ])
        let policy = PolicyAPI.Client(
            serverURL: try url(policyURL), configuration: .standard, transport: transport,
            middlewares: [TraceClientMiddleware(), BearerTokenMiddleware(tokens("policy", ["policy.check"]))])
        let express = ExpressInternalAPI.Client(
            serverURL: try url(expressURL), configuration: .standard, transport: transport,
            middlewares: [
                TraceClientMiddleware(),
                BearerTokenMiddleware(tokens("express", ["express.callbacks.write", "express.claims.read"])),
                WebhookSigningMiddleware(secret: webhookSecret),
            ])
        return Downstream(
            station: LiveStationGateway(client: station), policy: LivePolicyGateway(client: policy),
            express: LiveExpressGateway(client: express))
    }

    /// Runs a downstream call, turning transport failures into ``Unavailable``.
    static func call<T>(_ service: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as Unavailable {
            throw error
        } catch let error as StationRefusal {
            throw error
        } catch {
            throw Unavailable(service: service, description: "\(service) could not be reached: \(error)")
        }
    }
}
