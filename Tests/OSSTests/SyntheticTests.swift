import Fluent
import Foundation
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import OSS

@Suite("Synthetic monitoring's handoffs")
struct SyntheticTests {
    typealias Harness = OSSHarness

    @Test("a handoff pushed as synthetic asks Station for a synthetic care request; a plain one does not")
    func carried() async throws {
        try await Harness.with { oss in
            let world = oss.stationSchedules()
            for synthetic in [true, nil] {
                let (browser, draft) = try await oss.newDraft(synthetic: synthetic)
                try await oss.fill(browser, draft: draft)
                let submit = try await browser.post(draft.replacingOccurrences(of: "/patient", with: "/submit"))
                #expect(submit.location?.contains("outcome=created") == true, "\(submit.text.prefix(300))")
                let draftID = try #require(UUID(uuidString: String(draft.split(separator: "/").dropLast().last ?? "")))
                let made = try #require(oss.station.createRequests.last)
                #expect(made.request.idempotencyKey.rawValue == draftID)
                #expect(made.request.synthetic == (synthetic == true))
            }
            #expect(world.made.count == 2)
        }
    }
}
