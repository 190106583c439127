import Fluent
import Foundation
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Station

/// A caller that dies after claiming an `Idempotency-Key` (a crash, a lost instance) must not leave the key
/// stuck: after a bound the same key may be retried, and it still makes one care request.
@Suite("Idempotency keys left in flight")
struct IdempotencyRecoveryTests {
    func create(_ station: StationHarness, _ body: String, key: String) async throws -> TestingHTTPResponse {
        try await station.call(.POST, "/v1/care-requests", json: body, headers: [("Idempotency-Key", key)])
    }

    /// Leaves `key` claimed in flight since `age` seconds ago, as a caller that died half-way leaves it.
    func abandon(_ station: StationHarness, key: String, like completed: String, age: TimeInterval) async throws {
        let done = try #require(
            try await IdempotencyKeyModel.query(on: station.app.db).filter(\.$key == completed).first())
        let row = IdempotencyKeyModel()
        row.id = UUID()
        row.caller = done.caller
        row.key = key
        row.requestHash = done.requestHash
        row.state = "in_progress"
        row.createdAt = Date().addingTimeInterval(-age)
        try await row.create(on: station.app.db)
    }

    func count(_ station: StationHarness) async throws -> Int {
        try await CareRequestModel.query(on: station.app.db).count()
    }

    @Test("a key abandoned in flight is retried after the bound and makes exactly one request; a fresh one is 409")
    func abandonedKey() async throws {
        try await StationHarness.with { station in
            let patient = try await CreateCareRequestTests.eleanor(station)
            let body = Fixtures.careRequest(patient: patient, window: try await CreateCareRequestTests.window(station))
            #expect(try await create(station, body, key: "first").status == .created)

            try await abandon(station, key: "fresh", like: "first", age: 5)
            let refused = try await create(station, body, key: "fresh")
            #expect(refused.status == .conflict, "\(refused.text)")

            try await abandon(station, key: "stale", like: "first", age: StationStore.idempotencyClaimLifetime + 5)
            let before = try await count(station)
            let retried = try await create(station, body, key: "stale")
            #expect(retried.status == .created, "\(retried.text)")
            let replay = try await create(station, body, key: "stale")
            #expect(replay.status == .created)
            #expect(replay.headers.first(name: "Idempotent-Replayed") == "true")
            #expect(replay.object["id"] as? String == retried.object["id"] as? String)
            #expect(try await count(station) == before + 1)
        }
    }
}
