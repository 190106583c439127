import ExpressDomain
import Fluent
import Foundation
import Platform
import TestSupport
import Testing
import Vocabulary

@testable import Express

/// The care request list's filters and CSV file through Express's live gateway to a real Station's
/// searchPartnerCareRequests: the contract's fields mean on both sides what they say.
@Suite("Express's list filters with a real Station")
struct ExpressListFilterAcrossServicesTests {
    typealias Harness = ExpressStationHarness

    static func rows(_ html: String) -> Int { html.components(separatedBy: "data-live-id=").count - 1 }

    @Test("created by me, status, market, creation days and a patient's name each narrow the list")
    func filtersReachStation() async throws {
        try await Harness.with { express in
            let id = try await express.sunriseCareRequest()
            let scheduler = try #require(try await express.service.user(email: "scheduler@sunrise.example"))
            try await express.station.db.sql.raw(
                """
                UPDATE care_requests SET created_by_user_id = \(bind: scheduler.id!.uuidString.lowercased()) WHERE id = \(bind: try #require(UUID(uuidString: id)))
                """
            ).run()
            let browser = try await express.browser("scheduler@sunrise.example")
            let plain = try await browser.get("/care-requests")
            let all = Self.rows(plain.text)
            #expect(all > 1)

            let mine = try await browser.get("/care-requests?mine=1")
            #expect(mine.status == .ok && Self.rows(mine.text) == 1 && mine.text.contains("care-request-\(id)"))

            let requested = try await browser.get("/care-requests?status=requested")
            #expect(requested.status == .ok)
            #expect(
                requested.text.components(separatedBy: "class=\"status status-").dropFirst().allSatisfy {
                    $0.hasPrefix("requested")
                })

            let markets = try await express.service.station.markets()
            let denver = try #require(markets.first { $0.name == "Denver" })
            let inDenver = try await browser.get("/care-requests?market=\(denver.id.wire)")
            #expect(inDenver.status == .ok && Self.rows(inDenver.text) == all)
            if let other = markets.first(where: { $0.name != "Denver" }) {
                let elsewhere = try await browser.get("/care-requests?market=\(other.id.wire)")
                #expect(elsewhere.status == .ok && elsewhere.text.contains("No care requests match this filter."))
            }

            let longAgo = try await browser.get("/care-requests?from=2001-01-01&to=2001-12-31")
            #expect(longAgo.status == .ok && Self.rows(longAgo.text) == 0)
            let today = try #require(LocalDate(Date(), in: TimeZone(identifier: "America/Denver")!))
            let recent = try await browser.get(
                "/care-requests?from=\(try #require(today.adding(days: -30)).iso)&to=\(today.iso)")
            #expect(recent.status == .ok && Self.rows(recent.text) == all)

            let found = try await browser.get(
                try #require(try await browser.post("/care-requests/name-search", ["name": "whitf"]).location))
            #expect(found.status == .ok && Self.rows(found.text) >= 1)
            #expect(found.text.contains("Eleanor Whitfield") && !found.text.contains("Harold Jimenez"))
        }
    }

    @Test("an admin's CSV file of a filter holds Station's requests, names only when asked")
    func exportFromStation() async throws {
        try await Harness.with { express in
            let admin = try await express.browser("admin@sunrise.example")
            let file = try await admin.post("/care-requests/export", ["tab": "current", "status": "requested"])
            #expect(file.status == .ok)
            let lines = file.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.count > 1 && lines.dropFirst().allSatisfy { $0.contains(",Requested,") })
            #expect(!file.text.contains("Whitfield"))
            let named = try await admin.post("/care-requests/export", ["tab": "current", "names": "1"])
            #expect(named.status == .ok && named.text.contains("Eleanor Whitfield"))
        }
    }
}
