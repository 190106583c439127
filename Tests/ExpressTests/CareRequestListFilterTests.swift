import ExpressDomain
import Foundation
import TestSupport
import Testing
import Vocabulary

@testable import Express

/// The care request list's filters: sent to Station's search, kept across pages, refused clearly when they
/// cannot be used; the patient's name by POST into the session, never in a URL.
@Suite("Filtering the care request list")
struct CareRequestListFilterTests {
    typealias Harness = ExpressHarness

    /// Every `href`, `action` and `src` of a page.
    static func links(_ html: String) -> [String] {
        let pattern = #/(?:href|action|src)="([^"]*)"/#
        return html.matches(of: pattern).map { String($0.output.1) }
    }

    @Test("each filter is sent to Station's search and the page shows what it answered")
    func everyFilterSent() async throws {
        try await Harness.with { express in
            let scheduler = try #require(try await express.service.user(email: "scheduler@sunrise.example"))
            let page = try await express.station.careRequests(
                partner: StationDemo.sunrise, phase: .current, cursor: nil, limit: 100)
            let mine = try #require(page.items.first { $0.status == .scheduled })
            express.station.update(mine.id) {
                $0.createdBy = scheduler.userID
                $0.market = "Phoenix"
            }
            let phoenix = try #require(StationDemo.markets.first { $0.name == "Phoenix" })
            let browser = try await express.browser("scheduler@sunrise.example")
            let today = LocalDate(Date(), in: TimeZone(identifier: "America/Denver")!)!
            let from = today.adding(days: -2)!.iso
            let to = today.iso
            let list = try await browser.get(
                "/care-requests?tab=current&status=scheduled&mine=1&market=\(phoenix.id.wire)&from=\(from)&to=\(to)")
            #expect(list.status == .ok)

            let sent = try #require(express.station.searched.last)
            #expect(sent.phase == .current && sent.statuses == [.scheduled])
            #expect(sent.createdBy == scheduler.userID && sent.market == phoenix.id)
            #expect(sent.createdFrom == LocalDate(iso: from) && sent.createdTo == LocalDate(iso: to))
            #expect(sent.zone.identifier == "America/Denver" && sent.patientName == nil)
            #expect(list.text.contains("id=\"care-request-\(mine.id.wire)\""))
            #expect(list.text.components(separatedBy: "data-live-id=").count == 2)
            // The form shows what is applied; a filtered page takes no new requests live.
            #expect(list.text.contains("<option value=\"scheduled\" selected>Scheduled</option>"))
            #expect(list.text.contains("<option value=\"\(phoenix.id.wire)\" selected>Phoenix</option>"))
            #expect(list.text.contains("name=\"mine\" value=\"1\" checked"))
            #expect(!list.text.contains("data-live-insert"))
            #expect(list.text.contains("data-live-source"))
            let audit = try await express.audit("care_requests.list")
            #expect(audit.first?.careRequestIDs == " \(mine.id.wire) ")
        }
    }

    @Test("the plain list is Station's list, not its search, and still takes new requests live")
    func plainListUnchanged() async throws {
        try await Harness.with { express in
            let list = try await express.browser("scheduler@sunrise.example").get("/care-requests")
            #expect(list.status == .ok)
            #expect(express.station.searched.isEmpty)
            #expect(list.text.contains("data-live-insert=\"/care-requests/{id}/row\""))
            #expect(list.text.contains("<label for=\"filter-status\">Status</label>"))
            #expect(list.text.contains("<label for=\"filter-from\">Created from</label>"))
            #expect(list.text.contains("<label for=\"filter-name\">Find by patient name</label>"))
        }
    }

    @Test("the next page keeps the filter, and so does the first-page link")
    func pagesKeepFilters() async throws {
        try await Harness.with { express in
            let user = try #require(try await express.service.user(email: "scheduler@sunrise.example"))
            let preferences = try await express.service.preferences(user.userID)
            preferences.pageSize = 5
            try await preferences.save(on: express.app.db)
            let denver = try #require(StationDemo.markets.first { $0.name == "Denver" })
            let browser = try await express.browser("scheduler@sunrise.example")
            let first = try await browser.get("/care-requests?tab=current&market=\(denver.id.wire)")
            let next = try #require(Self.links(first.text).first { $0.contains("cursor=") })
            let query = queryParameters(next.replacingOccurrences(of: "&amp;", with: "&"))
            #expect(query["market"] == denver.id.wire && query["tab"] == "current")
            let second = try await browser.get(next.replacingOccurrences(of: "&amp;", with: "&"))
            #expect(second.status == .ok)
            let sent = express.station.searched
            #expect(sent.count == 2 && sent.allSatisfy { $0.market == denver.id })
            #expect(second.text.contains("« First page"))
            let firstPage = try #require(
                Self.links(second.text).first { $0.contains("market=") && !$0.contains("cursor") })
            #expect(firstPage.contains("tab=current"))
        }
    }

    @Test("an unknown status, a bad date and a to-date before the from-date are clear 400s, never a 500")
    func badInput() async throws {
        try await Harness.with { express in
            let browser = try await express.browser("scheduler@sunrise.example")
            let status = try await browser.get("/care-requests?status=lost")
            #expect(status.status == .badRequest)
            #expect(status.text.contains("“lost” is not a status. Choose one from the list."))
            #expect(status.text.contains("aria-invalid=\"true\" aria-describedby=\"filter-status-error\""))
            let date = try await browser.get("/care-requests?from=2026-02-30")
            #expect(date.status == .badRequest && date.text.contains("is not a date"))
            let order = try await browser.get("/care-requests?from=2026-11-30&to=2026-11-01")
            #expect(order.status == .badRequest)
            #expect(order.text.contains("The “to” date 2026-11-01 is before the “from” date 2026-11-30."))
            let market = try await browser.get("/care-requests?market=not-a-market")
            #expect(market.status == .badRequest && market.text.contains("That market is not one of ours"))
            let past = try await browser.get("/care-requests?tab=current&status=complete")
            #expect(past.status == .badRequest && past.text.contains("“Complete” requests are under Past."))
            #expect(express.station.searched.isEmpty)
            #expect(try await express.audit("care_requests.list").isEmpty)
        }
    }

    @Test("a patient's name goes by POST into the session; no URL, redirect or link ever holds it")
    func nameSearchInSession() async throws {
        try await Harness.with { express in
            let browser = try await express.browser("scheduler@sunrise.example")
            let posted = try await browser.post(
                "/care-requests/name-search", ["name": "Eleanor", "tab": "current", "status": "requested"])
            #expect(posted.status == .seeOther)
            let location = try #require(posted.location)
            #expect(!location.lowercased().contains("eleanor"))
            #expect(queryParameters(location)["status"] == "requested" && queryParameters(location)["search"] != nil)

            let page = try await browser.get(location)
            #expect(page.status == .ok)
            #expect(express.station.searched.last?.patientName == "Eleanor")
            #expect(express.station.searched.last?.statuses == [.requested])
            #expect(page.text.contains("Eleanor Whitfield"))
            #expect(!page.text.contains("Harold Jimenez"))
            // The chip shows the name in the page; its remove link, like every other, does not carry it.
            #expect(page.text.contains("<span class=\"chip\">Eleanor <a href="))
            #expect(Self.links(page.text).allSatisfy { !$0.lowercased().contains("eleanor") })

            // Removing the chip is a link without the search: the plain filter again.
            let removed = try #require(
                Self.links(page.text).first { !$0.contains("search=") && $0.contains("status=requested") })
            _ = try await browser.get(removed.replacingOccurrences(of: "&amp;", with: "&"))
            #expect(express.station.searched.last?.patientName == nil)

            // Another browser (or a session that moved on) holding the link gets a clear 400, not the name.
            let other = try await express.browser("admin@sunrise.example")
            let stale = try await other.get(location)
            #expect(stale.status == .badRequest)
            #expect(stale.text.contains("That patient name search has ended. Search for the name again."))

            let tooLong = try await browser.post(
                "/care-requests/name-search", ["name": String(repeating: "a", count: 101)])
            #expect(tooLong.status == .seeOther && tooLong.location == "/care-requests?tab=current")
            #expect(try await browser.get("/care-requests").text.contains("at most 100 characters"))
            let noToken = try await browser.post("/care-requests/name-search", ["name": "Eleanor"], defaults: false)
            #expect(noToken.status == .forbidden)
        }
    }
}
