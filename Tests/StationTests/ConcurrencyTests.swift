import AsyncHTTPClient
import Foundation
import HTTPTypes
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import StationAPI
import StationDomain
import Testing
import Vapor

@testable import Station

/// Real HTTP against a running Station, through the generated client that Express and OSS use.
@Suite("Concurrent bookings")
struct ConcurrencyTests {
    struct Bearer: ClientMiddleware {
        let token: String
        func intercept(
            _ request: HTTPTypes.HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
            next: @Sendable (HTTPTypes.HTTPRequest, HTTPBody?, URL) async throws -> (HTTPTypes.HTTPResponse, HTTPBody?)
        )
            async throws -> (HTTPTypes.HTTPResponse, HTTPBody?)
        {
            var request = request
            request.headerFields[.authorization] = "Bearer \(token)"
            return try await next(request, body, baseURL)
        }
    }

    static func withClient(_ body: (StationHarness, StationAPI.Client) async throws -> Void) async throws {
        try await StationHarness.with { station in
            station.app.http.server.configuration.port = 0
            try await station.app.server.start(address: .hostname("127.0.0.1", port: 0))
            defer { Task { await station.app.server.shutdown() } }
            let port = try #require(station.app.http.server.shared.localAddress?.port)
            let client = StationAPI.Client(
                serverURL: URL(string: "http://127.0.0.1:\(port)")!,
                transport: AsyncHTTPClientTransport(),
                middlewares: [Bearer(token: try await station.token())])
            try await body(station, client)
            await station.app.server.shutdown()
        }
    }

    static func newRequest(patient: String, window: (Date, Date)?) throws -> Components.Schemas.NewCareRequest {
        try JSONDecoder.iso.decode(
            Components.Schemas.NewCareRequest.self,
            from: Data(Fixtures.careRequest(patient: patient, window: window).utf8))
    }

    @Test("many parallel bookings of a window of capacity C: exactly C succeed, the rest are told it is full")
    func neverOverbooked() async throws {
        try await Self.withClient { station, client in
            let patient = try await CreateCareRequestTests.eleanor(station)
            let window = try await CreateCareRequestTests.window(station)
            let body = try Self.newRequest(patient: patient, window: window)
            let outcomes = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<16 {
                    group.addTask {
                        let output = try await client.createCareRequest(
                            headers: .init(idempotencyKey: UUID().uuidString), body: .json(body))
                        switch output {
                        case .created: return 201
                        case .conflict(let problem):
                            #expect(try problem.body.applicationProblemJson.nextAvailableWindows?.isEmpty == false)
                            return 409
                        default: return 0
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == 201 }.count == 4)
            #expect(outcomes.filter { $0 == 409 }.count == 12)

            let availability = try await client.getMarketAvailability(
                path: .init(marketId: Fixtures.denver),
                query: .init(from: try Fixtures.denverDay(window.0), to: try Fixtures.denverDay(window.0)))
            let slot = try availability.ok.body.json.first { $0.start == window.0 }
            #expect(slot?.remaining == 0)
        }
    }

    @Test("concurrent retries of one draft make one care request")
    func oneDraftOneRequest() async throws {
        try await Self.withClient { station, client in
            let patient = try await CreateCareRequestTests.eleanor(station)
            let body = try Self.newRequest(patient: patient, window: nil)
            let ids = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let output = try await client.createCareRequest(
                            headers: .init(idempotencyKey: "draft-42"), body: .json(body))
                        switch output {
                        case .created(let created): return try created.body.json.id
                        case .conflict: return nil
                        default:
                            Issue.record("unexpected \(output)")
                            return nil
                        }
                    }
                }
                return try await group.reduce(into: [String]()) { if let id = $1 { $0.append(id) } }
            }
            #expect(!ids.isEmpty)
            #expect(Set(ids).count == 1)
            let patientRequests = try await client.listPatientCareRequests(path: .init(patientId: patient))
            let matching = try patientRequests.ok.body.json.items.filter {
                $0.createdAt > Date().addingTimeInterval(-60)
            }
            #expect(matching.count == 1)
        }
    }
}

extension JSONDecoder {
    static let iso: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
