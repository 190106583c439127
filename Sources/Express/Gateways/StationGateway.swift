import Foundation
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import Platform
import StationAPI

/// A downstream service did not answer as it should: the user sees a clear page with a retry.
package struct ServiceUnavailable: Error, CustomStringConvertible {
    package var service: String
    package var description: String
}

/// Something the caller asked for that the downstream service refused as bad input (a stale page link).
package struct DownstreamBadRequest: Error {
    package var detail: String
}

/// What Express asks of Station, always for one partner.
package protocol StationGateway: Sendable {
    func careRequests(partner: UUID, phase: Components.Schemas.CareRequestPhase?, cursor: String?, limit: Int) async throws
        -> Components.Schemas.CareRequestPage
    /// nil when Station has no such care request for this partner.
    func careRequest(partner: UUID, id: UUID) async throws -> Components.Schemas.CareRequest?
    func searchPatients(partner: UUID, query: String, cursor: String?, limit: Int) async throws -> Components.Schemas.PatientPage
    func markets() async throws -> [Components.Schemas.Market]
}

/// Station over HTTP through its generated client, with an M2M token and a time-out on every call.
package struct HTTPStationGateway: StationGateway {
    let client: Client

    package init(stationURL: String, tokens: any AccessTokenSource, timeoutSeconds: Int64 = 5) throws {
        guard let url = URL(string: stationURL) else { throw ConfigurationError("STATION_URL \(stationURL) is not a URL.") }
        client = Client(serverURL: url, configuration: .standard, transport: AsyncHTTPClientTransport(configuration: .init(timeout: .seconds(timeoutSeconds))),
                        middlewares: [TraceClientMiddleware(), BearerTokenMiddleware(tokens)])
    }

    func call<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as DownstreamBadRequest {
            throw error
        } catch let error as ServiceUnavailable {
            throw error
        } catch {
            throw ServiceUnavailable(service: "Station", description: "Station could not be reached: \(error)")
        }
    }

    static func unexpected(_ output: some Sendable) -> ServiceUnavailable {
        ServiceUnavailable(service: "Station", description: "Station answered \(output)")
    }

    package func careRequests(partner: UUID, phase: Components.Schemas.CareRequestPhase?, cursor: String?, limit: Int) async throws
        -> Components.Schemas.CareRequestPage {
        try await call {
            switch try await client.listPartnerCareRequests(
                path: .init(partnerId: partner.uuidString.lowercased()), query: .init(phase: phase, cursor: cursor, limit: limit)) {
            case .ok(let ok): return try ok.body.json
            case .badRequest(let problem):
                throw DownstreamBadRequest(detail: (try? problem.body.applicationProblemJson.detail) ?? nil ?? "Bad request")
            case .notFound: return .init(items: [])
            case let other: throw Self.unexpected(other)
            }
        }
    }

    package func careRequest(partner: UUID, id: UUID) async throws -> Components.Schemas.CareRequest? {
        try await call {
            switch try await client.getPartnerCareRequest(
                path: .init(partnerId: partner.uuidString.lowercased(), careRequestId: id.uuidString.lowercased())) {
            case .ok(let ok): return try ok.body.json
            case .notFound, .badRequest: return nil
            case let other: throw Self.unexpected(other)
            }
        }
    }

    package func searchPatients(partner: UUID, query: String, cursor: String?, limit: Int) async throws -> Components.Schemas.PatientPage {
        try await call {
            switch try await client.searchPartnerPatients(
                path: .init(partnerId: partner.uuidString.lowercased()), query: .init(q: query, cursor: cursor, limit: limit)) {
            case .ok(let ok): return try ok.body.json
            case .badRequest(let problem):
                throw DownstreamBadRequest(detail: (try? problem.body.applicationProblemJson.detail) ?? nil ?? "Bad request")
            case .notFound: return .init(items: [])
            case let other: throw Self.unexpected(other)
            }
        }
    }

    package func markets() async throws -> [Components.Schemas.Market] {
        try await call {
            switch try await client.listMarkets() {
            case .ok(let ok): return try ok.body.json
            case let other: throw Self.unexpected(other)
            }
        }
    }
}
