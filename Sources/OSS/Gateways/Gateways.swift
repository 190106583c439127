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
}

/// OSS's calls to Station, Policy and Express, through their generated clients with machine tokens.
package struct Downstream: Sendable {
    package let station: StationAPI.Client
    package let policy: PolicyAPI.Client
    package let express: ExpressInternalAPI.Client

    package init(station: StationAPI.Client, policy: PolicyAPI.Client, express: ExpressInternalAPI.Client) {
        self.station = station
        self.policy = policy
        self.express = express
    }

    package static func live(_ config: OSSConfig) throws -> Downstream {
        func tokens(_ audience: String, _ scopes: [String]) -> ClientCredentialsTokenSource {
            ClientCredentialsTokenSource(issuer: config.machineIssuer, clientID: "oss-m2m", clientSecret: config.machineClientSecret,
                                         audience: audience, scopes: scopes)
        }
        func url(_ raw: String) throws -> URL {
            guard let url = URL(string: raw) else { throw ConfigurationError("\(raw) is not a URL.") }
            return url
        }
        let transport = AsyncHTTPClientTransport(configuration: .init(timeout: .seconds(5)))
        return Downstream(
            station: StationAPI.Client(serverURL: try url(config.stationURL), configuration: .standard, transport: transport, middlewares: [TraceClientMiddleware(), BearerTokenMiddleware(
                tokens("station", ["station.patients.read", "station.patients.write", "station.care_requests.read", "station.care_requests.write"]))]),
            policy: PolicyAPI.Client(serverURL: try url(config.policyURL), configuration: .standard, transport: transport,
                                     middlewares: [TraceClientMiddleware(), BearerTokenMiddleware(tokens("policy", ["policy.check"]))]),
            express: ExpressInternalAPI.Client(serverURL: try url(config.expressURL), configuration: .standard, transport: transport,
                                               middlewares: [TraceClientMiddleware(), BearerTokenMiddleware(tokens("express", ["express.callbacks.write", "express.claims.read"])),
                                                             WebhookSigningMiddleware(secret: config.webhookSecret)]))
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

/// Station refused a request for a reason the user can fix (a full window, a bad field).
package struct StationRefusal: Error {
    package var status: Int
    package var detail: String
    package var fields: [String]
    package var nextWindows: [StationAPI.Components.Schemas.TimeWindowAvailability]
    /// Station's message for each refused field, keyed by the OSS form field it belongs to.
    package var messages: [String: String] = [:]
}
