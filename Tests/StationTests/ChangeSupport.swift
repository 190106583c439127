import Fluent
import Foundation
import StationDomain
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Station

/// What the change suites share: a booked request, a cancel and a reschedule as OSS sends them, and the places
/// booked in a window as the database holds them.
extension StationHarness {
    /// A new request of Eleanor's (Sunrise) in `window` (none: it waits for a nurse); its id.
    func bookedRequest(in window: (Date, Date)?, createdBy: String = "user-1") async throws -> String {
        let patient = try await CreateCareRequestTests.eleanor(self)
        var body = try #require(
            try JSONSerialization.jsonObject(
                with: Data(
                    Fixtures.careRequest(
                        patient: patient, window: window, outcome: window == nil ? "nurse_triage" : "self_schedule"
                    ).utf8)) as? [String: Any])
        body["created_by_user_id"] = createdBy
        let response = try await call(
            .POST, "/v1/care-requests", json: Self.json(body), headers: [("Idempotency-Key", UUID().uuidString)])
        #expect(response.status == .created, "\(response.text)")
        return try #require(response.object["id"] as? String)
    }

    func cancel(
        _ id: String, reason: String = "no_longer_needed", note: String? = nil,
        scope: [String: String] = ["partner_id": Fixtures.sunrise], onBehalfOf: String? = "express-user-7",
        key: String = UUID().uuidString, token: String? = nil
    ) async throws -> TestingHTTPResponse {
        var body: [String: Any] = scope.merging(["reason": reason]) { a, _ in a }
        if let note { body["note"] = note }
        if let onBehalfOf { body["on_behalf_of"] = onBehalfOf }
        return try await send(
            .POST, "/v1/care-requests/\(id)/cancellation", token: try await bearer(token),
            json: Self.json(body), headers: [("Idempotency-Key", key)])
    }

    func reschedule(
        _ id: String, to window: (Date, Date), zip: String? = nil,
        scope: [String: String] = ["partner_id": Fixtures.sunrise], onBehalfOf: String? = "express-user-7",
        key: String = UUID().uuidString, token: String? = nil
    ) async throws -> TestingHTTPResponse {
        var body: [String: Any] = scope
        body["time_window"] = ["start": Fixtures.isoDate(window.0), "end": Fixtures.isoDate(window.1)]
        if let zip { body["visit_address"] = ["line1": "1 Main St", "city": "Elsewhere", "state": "AZ", "zip": zip] }
        if let onBehalfOf { body["on_behalf_of"] = onBehalfOf }
        return try await send(
            .POST, "/v1/care-requests/\(id)/reschedule", token: try await bearer(token),
            json: Self.json(body), headers: [("Idempotency-Key", key)])
    }

    private func bearer(_ given: String?) async throws -> String {
        if let given { return given }
        return try await token()
    }

    /// The places booked in `window` of `market`, read from the database.
    func booked(_ window: (Date, Date), market: MarketID = DemoData.denver) async throws -> Int {
        try await TimeWindowReservationModel.query(on: app.db)
            .filter(\.$marketID == market.rawValue).filter(\.$windowStart == window.0)
            .first()?.booked ?? 0
    }

    /// The open requests holding a place in `window` of `market`, read from the database.
    func holders(_ window: (Date, Date), market: MarketID = DemoData.denver) async throws -> Int {
        try await CareRequestModel.query(on: app.db)
            .filter(\.$marketID == market.rawValue).filter(\.$windowStart == window.0)
            .filter(\.$status != CareRequestStatus.archived.rawValue).count()
    }

    /// The first upcoming window of `market` nothing is booked in, `skip` such windows later.
    func freeWindow(of market: MarketID, skip: Int = 0) async throws -> (Date, Date) {
        let zone = try #require(TimeZone(identifier: market == DemoData.phoenix ? "America/Phoenix" : "America/Denver"))
        let today = try #require(LocalDate(Date(), in: zone))
        let last = try #require(today.adding(days: 3))
        let response = try await call(.GET, "/v1/markets/\(market.wire)/availability?from=\(today.iso)&to=\(last.iso)")
        let free = response.array.filter { window in
            (window["remaining"] as? Int).map { $0 > 0 && $0 == window["capacity"] as? Int } ?? false
        }
        let chosen = try #require(free.dropFirst(skip).first)
        let f = ISO8601DateFormatter()
        return (
            try #require(f.date(from: chosen["start"] as? String ?? "")),
            try #require(f.date(from: chosen["end"] as? String ?? ""))
        )
    }

    static func json(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}
