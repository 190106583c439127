import ExpressDomain
import Foundation
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import Platform
import StationAPI
import Vocabulary

/// Station over HTTP through its generated client, with an M2M token and a time-out on every call.
package struct HTTPStationGateway: StationGateway {
    let client: Client

    package init(stationURL: String, tokens: any AccessTokenSource, timeoutSeconds: Int64 = 5) throws {
        guard let url = URL(string: stationURL) else {
            throw ConfigurationError("STATION_URL \(stationURL) is not a URL.")
        }
        client = Client(
            serverURL: url, configuration: .standard,
            transport: AsyncHTTPClientTransport(
                configuration: .init(timeout: ServiceCallTimeout.amount(timeoutSeconds))),
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

    package func careRequests(partner: PartnerID, phase: CareRequestPhase, cursor: String?, limit: Int) async throws
        -> CareRequestPage
    {
        try await call {
            switch try await client.listPartnerCareRequests(
                path: .init(partnerId: partner.wire), query: .init(phase: .init(phase), cursor: cursor, limit: limit))
            {
            case .ok(let ok): return try CareRequestPage(ok.body.json)
            case .badRequest(let problem):
                throw DownstreamBadRequest(
                    detail: (try? problem.body.applicationProblemJson.detail) ?? nil ?? "Bad request")
            case .notFound: return CareRequestPage(items: [])
            case let other: throw Self.unexpected(other)
            }
        }
    }

    package func searchCareRequests(partner: PartnerID, filter: CareRequestFilter, cursor: String?, limit: Int)
        async throws -> CareRequestPage
    {
        try await call {
            switch try await client.searchPartnerCareRequests(
                path: .init(partnerId: partner.wire),
                body: .json(.init(filter, cursor: cursor, limit: limit)))
            {
            case .ok(let ok): return try CareRequestPage(ok.body.json)
            case .badRequest(let problem):
                throw DownstreamBadRequest(
                    detail: (try? problem.body.applicationProblemJson.detail) ?? nil ?? "Bad request")
            case .unprocessableContent(let problem):
                throw DownstreamBadRequest(
                    detail: (try? problem.body.applicationProblemJson.detail) ?? nil ?? "Unprocessable filter")
            case .notFound: return CareRequestPage(items: [])
            case let other: throw Self.unexpected(other)
            }
        }
    }

    package func careRequest(partner: PartnerID, id: CareRequestID) async throws -> CareRequestDetail? {
        try await call {
            switch try await client.getPartnerCareRequest(path: .init(partnerId: partner.wire, careRequestId: id.wire))
            {
            case .ok(let ok): return try CareRequestDetail(ok.body.json)
            case .notFound, .badRequest: return nil
            case let other: throw Self.unexpected(other)
            }
        }
    }

    package func searchPatients(partner: PartnerID, query: String, cursor: String?, limit: Int) async throws
        -> PatientPage
    {
        try await call {
            switch try await client.searchPartnerPatients(
                path: .init(partnerId: partner.wire), query: .init(q: query, cursor: cursor, limit: limit))
            {
            case .ok(let ok): return try PatientPage(ok.body.json)
            case .badRequest(let problem):
                throw DownstreamBadRequest(
                    detail: (try? problem.body.applicationProblemJson.detail) ?? nil ?? "Bad request")
            case .notFound: return PatientPage(items: [])
            case let other: throw Self.unexpected(other)
            }
        }
    }

    package func markets() async throws -> [Market] {
        try await call {
            switch try await client.listMarkets() {
            case .ok(let ok): return try ok.body.json.map(Market.init)
            case let other: throw Self.unexpected(other)
            }
        }
    }
}
