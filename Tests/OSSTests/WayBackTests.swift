import Fluent
import Foundation
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import OSS

/// Every partner page offers a way back to Express, and after an error that way says so (issue 17, items 21 and 24).
@Suite("Ways back to Express")
struct WayBackTests {
    typealias Harness = OSSHarness
    static let returned = "http://localhost:8080/care-requests/returned"

    func html(_ response: some HTTPResponseReading) -> String {
        response.text.replacingOccurrences(of: "&amp;", with: "&")
    }

    @Test("the start page offers Cancel, back to Express with the cancelled outcome")
    func startPageCancel() async throws {
        try await Harness.with { oss in
            let handle = try #require(try await oss.pushHandoff().1)
            let page = try await oss.browser(partner: Harness.scheduler).get("/partner/start?handoff=\(handle)")
            #expect(page.status == .ok)
            #expect(html(page).contains("href=\"\(Self.returned)?outcome=cancelled\">Cancel</a>"))
        }
    }

    @Test("refused links, a missing patient and an unknown draft go back to Express with outcome=error and a reason")
    func errorsCarryAnOutcome() async throws {
        try await Harness.with { oss in
            oss.station.stub { $0.partnerPatient = { _, _ in nil } }
            let browser = try await oss.browser(partner: Harness.scheduler)
            let invalid = try await browser.get("/partner/start?handoff=nope")
            #expect(html(invalid).contains("\(Self.returned)?outcome=error&reason=invalid_link"))

            let handle = try #require(try await oss.pushHandoff().1)
            let other = try await oss.browser(partner: Harness.admin)
            #expect(
                html(try await other.post("/partner/start", ["handoff": handle])).contains(
                    "?outcome=error&reason=wrong_user"))

            let missing = try #require(try await oss.pushHandoff(patient: .random()).1)
            let notFound = try await browser.post("/partner/start", ["handoff": missing])
            #expect(notFound.status == .notFound)
            #expect(html(notFound).contains("?outcome=error&reason=patient_not_found"))

            let unknownDraft = try await browser.get("/partner/drafts/\(UUID().uuidString.lowercased())/patient")
            #expect(unknownDraft.status == .notFound)
            #expect(html(unknownDraft).contains("?outcome=error&reason=not_found\">Back to Express"))

            oss.clock.advance(601)
            #expect(
                html(try await browser.post("/partner/start", ["handoff": handle])).contains(
                    "?outcome=error&reason=expired"))
        }
    }

    @Test("a cancelled draft, opened again, goes back to Express as cancelled, not as a welcome")
    func closedDraft() async throws {
        try await Harness.with { oss in
            let browser = try await oss.browser(partner: Harness.scheduler)
            let draft = try await oss.redeem(browser, try #require(try await oss.pushHandoff().1))
            _ = try await browser.post(draft.replacingOccurrences(of: "/patient", with: "/cancel"))
            let page = try await browser.get(draft)
            #expect(page.text.contains("This request is closed"))
            #expect(html(page).contains("href=\"\(Self.returned)?outcome=cancelled\">Back to Express"))
        }
    }
}
