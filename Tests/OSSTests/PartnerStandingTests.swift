import Fluent
import Foundation
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import OSS

/// A partner user Express no longer knows as active stops in OSS too: at once for redeeming a handoff or
/// submitting, and within a minute on every other page. (IntegrationTests deactivate a user in a real Express.)
@Suite("Deactivation reaches OSS")
struct PartnerStandingTests {
    typealias Harness = OSSHarness

    @Test("a user Express calls inactive after the handoff cannot redeem it, and their OSS session ends")
    func redeemRefused() async throws {
        try await Harness.with { oss in
            let handle = try #require(try await oss.pushHandoff().1)
            let browser = try await oss.browser(partner: Harness.scheduler)
            oss.express.stubStanding(Harness.scheduler.email, .inactive)
            let refused = try await browser.post("/partner/start", ["handoff": handle])
            #expect(refused.status == .forbidden)
            #expect(refused.text.contains("no longer active"))
            #expect(try await DraftModel.query(on: oss.app.db).count() == 0)
            // The session is gone: the next page asks to sign in.
            let next = try await browser.get("/partner/")
            #expect(next.status == .seeOther)
            #expect(next.location?.contains("/partner/sign-in") == true)
        }
    }

    @Test("a user deactivated mid-flow cannot submit: nothing is created, the draft is kept")
    func submitRefused() async throws {
        try await Harness.with { oss in
            oss.stationSchedules()
            let (browser, draft) = try await oss.newDraft()
            try await oss.fill(browser, draft: draft)
            oss.express.stubStanding(Harness.scheduler.email, .inactive)
            let submit = try await browser.post(draft.replacingOccurrences(of: "/patient", with: "/submit"))
            #expect(submit.status == .forbidden)
            #expect(oss.station.createRequests.isEmpty)
            // Kept: once Express knows them as active again, the draft is there to submit.
            let again = try await oss.browser(partner: Harness.scheduler)
            let review = try await again.get(draft.replacingOccurrences(of: "/patient", with: "/review"))
            #expect(review.text.contains("Nora Newcomer") && review.text.contains("Submit request"))
        }
    }

    @Test("other pages notice within a minute")
    func pagesNoticeWithinAMinute() async throws {
        try await Harness.with { oss in
            let (browser, draft) = try await oss.newDraft()
            oss.express.stubStanding(Harness.scheduler.email, .inactive)
            #expect(try await browser.get(draft).status == .ok)
            oss.clock.advance(PartnerStanding.interval + 1)
            let after = try await browser.get(draft)
            #expect(after.status == .forbidden)
            #expect(after.text.contains("no longer active"))
        }
    }

    @Test("Express naming another user or partner for the email ends the session; not answering does not")
    func changedOrSilent() async throws {
        try await Harness.with { oss in
            let (browser, draft) = try await oss.newDraft()
            oss.express.stubStanding(Harness.scheduler.email, .unknown)
            oss.clock.advance(PartnerStanding.interval + 1)
            #expect(try await browser.get(draft).status == .ok)
            oss.express.stubStanding(
                Harness.scheduler.email, .active(user: Harness.admin.id, partner: Harness.sunrise, roles: [.admin]))
            oss.clock.advance(PartnerStanding.interval + 1)
            let changed = try await browser.get(draft)
            #expect(changed.status == .forbidden)
            #expect(changed.text.contains("Your Express account changed"))
        }
    }
}
