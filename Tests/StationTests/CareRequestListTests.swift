import Foundation
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Station

@Suite("Partner care request lists")
struct CareRequestListTests {
    @Test("the first page holds 25 requests, newest first, each with what Express shows")
    func firstPage() async throws {
        try await StationHarness.with { station in
            let response = try await station.call(.GET, "/v1/partners/\(Fixtures.sunrise)/care-requests")
            #expect(response.status == .ok)
            let items = try #require(response.object["items"] as? [[String: Any]])
            #expect(items.count == 16)
            let created = items.compactMap { $0["created_at"] as? String }
            #expect(created == created.sorted(by: >))
            let first = try #require(items.first)
            for field in ["patient_name", "status", "service_line", "market", "source", "created_at"] {
                #expect(first[field] != nil, "missing \(field)")
            }
        }
    }

    @Test("following the cursor visits every request once, in order")
    func pagination() async throws {
        try await StationHarness.with { station in
            var seen: [String] = []
            var cursor: String?
            repeat {
                let query = "limit=5" + (cursor.map { "&cursor=\($0)" } ?? "")
                let response = try await station.call(.GET, "/v1/partners/\(Fixtures.sunrise)/care-requests?\(query)")
                #expect(response.status == .ok)
                let items = try #require(response.object["items"] as? [[String: Any]])
                #expect(items.count <= 5)
                seen += items.compactMap { $0["id"] as? String }
                cursor = response.object["next_cursor"] as? String
            } while cursor != nil
            #expect(seen.count == 16)
            #expect(Set(seen).count == 16)
        }
    }

    @Test("current and past split the list by status", arguments: [("current", 12), ("past", 4)])
    func phases(phase: String, expected: Int) async throws {
        try await StationHarness.with { station in
            let response = try await station.call(
                .GET, "/v1/partners/\(Fixtures.sunrise)/care-requests?phase=\(phase)&limit=100")
            let items = try #require(response.object["items"] as? [[String: Any]])
            #expect(items.count == expected)
            let past: Set<String> = ["complete", "archived"]
            #expect(items.allSatisfy { past.contains($0["status"] as! String) == (phase == "past") })
        }
    }

    @Test("a status filter returns only that status")
    func statusFilter() async throws {
        try await StationHarness.with { station in
            let response = try await station.call(
                .GET, "/v1/partners/\(Fixtures.sunrise)/care-requests?status=pending_triage")
            let items = try #require(response.object["items"] as? [[String: Any]])
            #expect(items.count == 2)
            #expect(items.allSatisfy { $0["status"] as? String == "pending_triage" })
        }
    }

    @Test(
        "bad paging input is a clear 400",
        arguments: [
            "limit=0", "limit=101", "limit=abc", "cursor=garbage", "phase=later", "status=lost",
        ])
    func badInput(query: String) async throws {
        try await StationHarness.with { station in
            let response = try await station.call(.GET, "/v1/partners/\(Fixtures.sunrise)/care-requests?\(query)")
            #expect(response.status == .badRequest)
            #expect(response.isProblem)
            #expect((response.object["detail"] as? String)?.isEmpty == false)
        }
    }

    @Test("a care request's detail carries its status history")
    func detail() async throws {
        try await StationHarness.with { station in
            let list = try await station.call(
                .GET, "/v1/partners/\(Fixtures.sunrise)/care-requests?status=complete&limit=1")
            let id = try #require((list.object["items"] as? [[String: Any]])?.first?["id"] as? String)
            let response = try await station.call(.GET, "/v1/partners/\(Fixtures.sunrise)/care-requests/\(id)")
            #expect(response.status == .ok)
            let history = try #require(response.object["status_history"] as? [[String: Any]])
            #expect(
                history.map { $0["to"] as? String } == [
                    "requested", "accepted", "scheduled", "on_route", "on_scene", "complete",
                ])
            #expect(response.object["eta"] != nil)
            #expect((response.object["patient"] as? [String: Any])?["family_name"] != nil)
        }
    }

    @Test("unknown and malformed ids are 404 and 400")
    func unknownIDs() async throws {
        try await StationHarness.with { station in
            let unknown = try await station.call(.GET, "/v1/partners/\(Fixtures.sunrise)/care-requests/\(UUID())")
            #expect(unknown.status == .notFound)
            let malformed = try await station.call(.GET, "/v1/partners/\(Fixtures.sunrise)/care-requests/not-an-id")
            #expect(malformed.status == .badRequest)
            let noPartner = try await station.call(.GET, "/v1/partners/\(UUID())/care-requests")
            #expect(noPartner.status == .notFound)
        }
    }
}
