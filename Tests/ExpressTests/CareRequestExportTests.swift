import ExpressDomain
import Foundation
import Logging
import TestSupport
import Testing
import Vocabulary

@testable import Express

/// "Download CSV" of the list's filter: admins only, audited like a PHI list, patient names only when asked,
/// safe to open in a spreadsheet, and capped with a last line saying so.
@Suite("Downloading the care request list as CSV")
struct CareRequestExportTests {
    typealias Harness = ExpressHarness

    static func lines(_ response: BrowserResponse) -> [String] {
        response.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    @Test("an admin downloads the filter's requests without names; ids, statuses and creators are in it")
    func withoutNames() async throws {
        try await Harness.with { express in
            let admin = try await express.browser("admin@sunrise.example")
            let page = try await admin.get("/care-requests")
            #expect(page.text.contains("<form method=\"post\" action=\"/care-requests/export\""))
            #expect(page.text.contains("Include patient names"))

            let file = try await admin.post("/care-requests/export", ["tab": "current", "status": "requested"])
            #expect(file.status == .ok)
            #expect(file.headers.first(name: .contentType) == "text/csv; charset=utf-8")
            #expect(file.headers.first(name: .cacheControl) == "no-store")
            #expect(
                file.headers.first(name: .contentDisposition)?.hasPrefix("attachment; filename=\"care-requests-")
                    == true)
            let lines = Self.lines(file)
            #expect(
                lines.first
                    == "Care request ID,Status,Created,Visit window start,Visit window end,Service line,Market,Source,Created by"
            )
            let requested = try await express.station.careRequests(
                partner: StationDemo.sunrise, phase: .current, cursor: nil, limit: 100
            ).items.filter { $0.status == .requested }
            #expect(lines.count == requested.count + 1)
            for request in requested { #expect(file.text.contains("\(request.id.wire),Requested,")) }
            #expect(express.station.searched.last?.statuses == [.requested])
            for patient in StationDemo.sunrisePatients { #expect(!file.text.contains(patient.familyName)) }

            let audit = try await express.audit("care_requests.export")
            #expect(audit.count == 1)
            #expect(audit[0].outcome == "success" && audit[0].detail == "without patient names")
            #expect(
                Set(audit[0].careRequestIDs.split(separator: " ").map(String.init)) == Set(requested.map(\.id.wire)))
            #expect(audit[0].patientIDs.isEmpty)
        }
    }

    @Test("patient names only when the admin ticks them, and then the patients are in the audit too")
    func withNames() async throws {
        try await Harness.with { express in
            let admin = try await express.browser("admin@sunrise.example")
            let file = try await admin.post("/care-requests/export", ["tab": "past", "names": "1"])
            #expect(file.status == .ok)
            let lines = Self.lines(file)
            #expect(lines.first?.hasPrefix("Care request ID,Patient,Status,") == true)
            #expect(lines.count == 4)
            #expect(file.text.contains(",Harold Jimenez,Complete,"))
            // The plain tab is Station's list: nothing was searched.
            #expect(express.station.searched.isEmpty)
            let audit = try #require(try await express.audit("care_requests.export").first)
            #expect(audit.detail == "with patient names")
            #expect(audit.patientIDs.split(separator: " ").count == 3)
        }
    }

    @Test("schedulers and viewers get 403 (audited as denied) and no form")
    func adminsOnly() async throws {
        try await Harness.with { express in
            for email in ["scheduler@sunrise.example", "viewer@sunrise.example"] {
                let browser = try await express.browser(email)
                #expect(!(try await browser.get("/care-requests")).text.contains("/care-requests/export"))
                let refused = try await browser.post("/care-requests/export", ["tab": "current", "names": "1"])
                #expect(refused.status == .forbidden)
                #expect(refused.text.contains("Only admins can download care requests"))
                #expect(!refused.text.contains("Eleanor"))
            }
            let audit = try await express.audit("care_requests.export")
            #expect(audit.count == 2 && audit.allSatisfy { $0.outcome == "denied" && $0.careRequestIDs.isEmpty })
            let admin = try await express.browser("admin@sunrise.example")
            #expect(
                try await admin.post("/care-requests/export", ["tab": "current"], defaults: false).status == .forbidden)
        }
    }

    @Test("a name that would run as a formula is text in the file")
    func injectionSafe() async throws {
        try await Harness.with { express in
            let id = try #require(CareRequestID(wire: try await express.sunriseCareRequest()))
            express.station.update(id) {
                $0.patient.givenName = "=HYPERLINK(\"http://evil.example\",\"x\")"
                $0.patient.familyName = "@x"
            }
            let file = try await express.browser("admin@sunrise.example").post(
                "/care-requests/export", ["tab": "current", "names": "1"])
            #expect(
                file.text.contains("\(id.wire),\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\") @x\",Requested"))
        }
    }

    @Test("the name search and filters apply to the file; a bad filter is a clear 400")
    func filterApplies() async throws {
        try await Harness.with { express in
            let admin = try await express.browser("admin@sunrise.example")
            let location = try #require(
                try await admin.post("/care-requests/name-search", ["name": "Whitfield", "tab": "current"]).location)
            let search = try #require(queryParameters(location)["search"])
            let file = try await admin.post(
                "/care-requests/export", ["tab": "current", "search": search, "names": "1"])
            let rows = Self.lines(file).dropFirst()
            #expect(!rows.isEmpty && rows.allSatisfy { $0.contains(",Eleanor Whitfield,") })
            #expect(express.station.searched.last?.patientName == "Whitfield")
            let bad = try await admin.post("/care-requests/export", ["tab": "current", "to": "2026-13-01"])
            #expect(bad.status == .badRequest && bad.text.contains("is not a date"))
        }
    }

    @Test("a file of several Station pages is written page by page, each page audited")
    func severalPages() async throws {
        try await Harness.with { express in
            let patient = StationDemo.sunrisePatients[0]
            let many = (0..<150).map {
                StationDemo.careRequest(patient, .requested, hoursAgo: 1 + Double($0), market: "Denver")
            }
            express.station.stub(StationDemo.sunrise, careRequests: many, patients: StationDemo.sunrisePatients)
            let file = try await express.browser("admin@sunrise.example").post(
                "/care-requests/export", ["tab": "current"])
            #expect(file.status == .ok)
            let lines = Self.lines(file)
            #expect(lines.count == 151)
            #expect(Set(lines.dropFirst().map { $0.prefix(36) }) == Set(many.map { Substring($0.id.wire) }))
            let audit = try await express.audit("care_requests.export")
            #expect(audit.map { $0.careRequestIDs.split(separator: " ").count }.sorted() == [50, 100])
        }
    }

    @Test("more requests than the cap: the file holds the cap and says so")
    func capped() async throws {
        try await Harness.with { express in
            let user = try #require(try await express.service.user(email: "admin@sunrise.example"))
            let context = UseCaseContext(
                user: ActingUser(id: user.userID, partner: user.partner, role: user.roleValue),
                channel: .pages, requestID: "request-1", client: "192.0.2.1", logger: Logger(label: "test"))
            func read(cap: Int) async throws -> (rows: Int, pages: Int, cut: Bool) {
                var pages = try await ExportCareRequests(service: express.service)(
                    context, filter: CareRequestFilter(phase: .current), includeNames: false, cap: cap)
                var (rows, count) = (0, 0)
                while let page = try await pages.next() {
                    rows += page.count
                    count += 1
                }
                #expect(pages.count == rows)
                return (rows, count, pages.cut)
            }
            let five = try await read(cap: 5)
            #expect(five.rows == 5 && five.pages == 1 && five.cut)
            let all = try await read(cap: 12)
            #expect(all.rows == 12 && !all.cut)
            // Each page read is audited before its rows are handed out.
            #expect(try await express.audit("care_requests.export").count == 2)
        }
    }
}
