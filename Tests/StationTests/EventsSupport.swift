import Foundation
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Station

/// What the events suites share: a feed reader's token and the feed as JSON.
extension StationHarness {
    /// A machine client's token (Express's) for the event feed.
    func feedToken(_ scopes: [String] = ["station.events.read"]) async throws -> String {
        try await token(tenant: "staff", subject: "express-m2m", client: "express-m2m", scopes: scopes)
    }

    /// Every event after `after`, read page by page.
    func events(after: Int64 = 0) async throws -> [[String: Any]] {
        var events: [[String: Any]] = []
        var cursor = after
        while true {
            let page = try await send(.GET, "/v1/events?after=\(cursor)&limit=500", token: try await feedToken())
            #expect(page.status == .ok, "\(page.text)")
            events += try #require(page.object["events"] as? [[String: Any]])
            cursor = try #require((page.object["next_after"] as? NSNumber)?.int64Value)
            if page.object["has_more"] as? Bool != true { return events }
        }
    }

    /// The events of one care request, oldest first.
    func events(of careRequest: String) async throws -> [[String: Any]] {
        try await events().filter { $0["care_request_id"] as? String == careRequest }
    }

    func move(_ id: String, _ body: String) async throws -> TestingHTTPResponse {
        try await call(.POST, "/v1/care-requests/\(id)/status-changes", json: body)
    }

    /// An ETA a few days ahead, as the status change's JSON.
    static func eta() -> String {
        let soon = Date().addingTimeInterval(3 * 86_400).timeIntervalSince1970.rounded(.down)
        return
            #"{"start":"\#(Fixtures.isoDate(Date(timeIntervalSince1970: soon)))","end":"\#(Fixtures.isoDate(Date(timeIntervalSince1970: soon + 3600)))"}"#
    }

    /// The moves from requested to complete.
    static let walk = [
        #"{"to":"accepted"}"#, #"{"to":"scheduled","eta":\#(eta())}"#, #"{"to":"on_route"}"#,
        #"{"to":"on_scene"}"#, #"{"to":"complete"}"#,
    ]
}
