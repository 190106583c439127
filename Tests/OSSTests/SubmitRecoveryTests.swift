import Fluent
import Foundation
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import OSS

/// A submit interrupted half-way (the process killed between claiming the draft and finishing) must not leave
/// the draft closed for ever.
@Suite("Interrupted submits")
struct SubmitRecoveryTests {
    typealias Harness = OSSHarness

    @Test("a draft left submitting by a dead submit says it is being sent, then opens again and submits once")
    func interruptedSubmit() async throws {
        try await Harness.with { oss in
            let world = oss.stationSchedules()
            let (browser, draft) = try await oss.newDraft()
            try await oss.fill(browser, draft: draft)
            let id = try #require(DraftID(wire: draft.split(separator: "/").reversed()[1].description))
            // The submit claimed the draft, then its process died.
            let service = try OSSApp.service(oss.app)
            var row = try #require(try await service.draft(id))
            #expect(try await service.move(&row, from: .open, to: .submitting))

            let review = draft.replacingOccurrences(of: "/patient", with: "/review")
            let meanwhile = try await browser.get(review)
            #expect(meanwhile.text.contains("being sent"), "\(meanwhile.text.prefix(400))")
            #expect(!meanwhile.text.contains("This request is closed"))

            oss.clock.advance(OSSService.staleSubmitAfter + 1)
            let reopened = try await browser.get(review)
            #expect(reopened.status == .ok)
            #expect(reopened.text.contains("Submit request"), "\(reopened.text.prefix(400))")
            let submit = try await browser.post(draft.replacingOccurrences(of: "/patient", with: "/submit"))
            #expect(submit.status == .seeOther, "\(submit.text.prefix(400))")
            #expect(submit.location?.contains("outcome=created") == true)
            #expect(world.made.count == 1)
        }
    }
}
