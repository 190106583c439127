import Fluent
import Foundation
import Testing
import Vocabulary

@testable import OSS

/// Who is signed in, as OSS reads it from the session's text into a typed ``Owner``.
@Suite("Signed-in person")
struct FlowUserTests {
    typealias Harness = OSSHarness

    @Test("a partner session without the partner id sign-in always writes is asked to sign in again")
    func partnerSessionWithoutPartner() async throws {
        try await Harness.with { oss in
            let browser = try await oss.session(
                cookie: "oss_partner_session",
                [
                    "owner": Harness.scheduler.owner, "audience": "partner", "roles": "scheduler",
                    "email": Harness.scheduler.email,
                ])
            let page = try await browser.get("/partner/")
            #expect(page.status == .seeOther)
            #expect(page.location?.contains("/partner/sign-in") == true)
        }
    }

    @Test("a partner user's drafts and audit rows name them by their Express user id and partner")
    func partnerOwner() async throws {
        try await Harness.with { oss in
            oss.stationSchedules()
            let (browser, draft) = try await oss.newDraft()
            let page = try await browser.get(draft)
            #expect(page.status == .ok)
            let stored = try #require(try await DraftModel.query(on: oss.app.db).first())
            #expect(try stored.draft().owner == .partnerUser(Harness.sunrise, Harness.scheduler.id))
            let audit = try await OSSAuditModel.query(on: oss.app.db).filter(\.$action == "handoff.redeem").first()
            #expect(audit?.actor == Harness.scheduler.id.wire && audit?.partnerID == Harness.sunrise.rawValue)
        }
    }
}
