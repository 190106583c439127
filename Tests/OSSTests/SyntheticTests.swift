import Fluent
import Foundation
@testable import OSS
import Testing
import Vapor
import VaporTesting

@Suite("Synthetic monitoring's handoffs")
struct SyntheticTests {
    typealias Harness = OSSHarness

    /// Pushes a handoff (synthetic or not), walks the flow, submits; returns Station's row for the request made.
    func submitted(_ oss: Harness, synthetic: Bool?) async throws -> (synthetic: Bool, status: String, draft: DraftModel) {
        let user = try await oss.expressUser("scheduler@sunrise.example")
        let handle = try #require(try await oss.pushHandoff(user: user, synthetic: synthetic).1)
        let browser = try await oss.browser(partner: user)
        let draft = try await oss.redeem(browser, handle)
        try await oss.fill(browser, draft: draft)
        let submit = try await browser.post(draft.replacingOccurrences(of: "/patient", with: "/submit"))
        let location = try #require(submit.location)
        #expect(location.contains("outcome=created"), "\(submit.text.prefix(300))")
        let id = try #require(location.components(separatedBy: "care_request_id=").last?.prefix(36)).lowercased()
        let uuid = try #require(UUID(uuidString: id))
        let row = try #require(try await oss.station.db.sql
            .raw("SELECT synthetic, status FROM care_requests WHERE id = \(bind: uuid)").first())
        let draftID = try #require(UUID(uuidString: String(draft.split(separator: "/").dropLast().last ?? "")))
        return (try row.decode(column: "synthetic", as: Bool.self), try row.decode(column: "status", as: String.self),
                try #require(try await DraftModel.find(draftID, on: oss.app.db)))
    }

    @Test("a handoff pushed as synthetic makes a synthetic care request in Station (archived at once); a plain one does not")
    func carried() async throws {
        try await Harness.with { oss in
            let synthetic = try await submitted(oss, synthetic: true)
            #expect(synthetic.draft.synthetic)
            #expect(synthetic.synthetic)
            #expect(synthetic.status == "archived")

            let plain = try await submitted(oss, synthetic: nil)
            #expect(!plain.draft.synthetic)
            #expect(!plain.synthetic)
            #expect(plain.status == "requested")
        }
    }
}
