import Fluent
import Foundation
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import OSS

/// A partner user deactivated in Express stops in OSS too: at once for redeeming a handoff or submitting, and
/// within a minute on every other page.
@Suite("Deactivation in Express reaches OSS")
struct OSSPartnerStandingAcrossServicesTests {
    typealias Harness = OSSServicesHarness

    func deactivate(_ oss: Harness, _ user: String) async throws {
        try await oss.express.db.sql.raw(
            "UPDATE users SET active = \(bind: false) WHERE id = \(bind: UUID(uuidString: user)!)"
        ).run()
    }

    @Test("a user deactivated after the handoff cannot redeem it, and their OSS session ends")
    func redeemRefused() async throws {
        try await Harness.with { oss in
            let user = try await oss.expressUser("scheduler@sunrise.example")
            let handle = try #require(try await oss.pushHandoff(user: user, patient: nil).1)
            let browser = try await oss.browser(partner: user)
            try await deactivate(oss, user)
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
            let flows = OSSFlowAcrossServicesTests()
            let before = try await flows.careRequests(oss)
            let (browser, draft, user) = try await flows.newDraft(oss)
            try await oss.fill(browser, draft: draft)
            try await deactivate(oss, user)
            let submit = try await browser.post(draft.replacingOccurrences(of: "/patient", with: "/submit"))
            #expect(submit.status == .forbidden)
            #expect(try await flows.careRequests(oss) == before)
            #expect(try await DraftModel.query(on: oss.app.db).filter(\.$status == "open").count() == 1)
        }
    }

    @Test("other pages notice within a minute")
    func pagesNoticeWithinAMinute() async throws {
        try await Harness.with { oss in
            let flows = OSSFlowAcrossServicesTests()
            let (browser, draft, user) = try await flows.newDraft(oss)
            try await deactivate(oss, user)
            #expect(try await browser.get(draft).status == .ok)
            oss.clock.advance(PartnerStanding.interval + 1)
            let after = try await browser.get(draft)
            #expect(after.status == .forbidden)
            #expect(after.text.contains("no longer active"))
        }
    }

    @Test("a callback for a request made before its user was deactivated is recorded, and flagged in Express's audit")
    func lateCallbackFlagged() async throws {
        try await Harness.with { oss in
            let flows = OSSFlowAcrossServicesTests()
            let (browser, draft, user) = try await flows.newDraft(oss)
            try await oss.fill(browser, draft: draft)
            #expect(
                try await browser.post(draft.replacingOccurrences(of: "/patient", with: "/submit")).status == .seeOther)
            try await deactivate(oss, user)
            #expect(try await OSSApp.deliverOutbox(oss.app) == 1)
            let links = try await oss.express.db.sql.raw("SELECT COUNT(*) AS n FROM care_request_users").first()!
                .decode(column: "n", as: Int.self)
            #expect(links == 1)
            let flagged = try await oss.express.db.sql.raw(
                "SELECT COUNT(*) AS n FROM audit_events WHERE outcome = 'user_inactive'"
            ).first()!
            .decode(column: "n", as: Int.self)
            #expect(flagged == 1)
        }
    }
}
