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

    @Test("a submit slower than the stale limit, its draft reopened meanwhile, still completes it and tells Express")
    func slowSubmitAfterReopen() async throws {
        try await Harness.with { oss in
            _ = oss.stationSchedules()
            let (browser, draft) = try await oss.newDraft()
            try await oss.fill(browser, draft: draft)
            let id = try #require(DraftID(wire: draft.split(separator: "/").reversed()[1].description))
            let service = try OSSApp.service(oss.app)
            var submitting = try #require(try await service.draft(id))
            #expect(try await service.move(&submitting, from: .open, to: .submitting))
            // Station is slow; meanwhile a page load sees the claim as stale and reopens the draft.
            oss.clock.advance(OSSService.staleSubmitAfter + 1)
            var seen = try #require(try await service.draft(id))
            try await service.reopenIfStale(&seen)
            #expect(seen.status == .open)
            // Station answers at last: the request exists, so the draft is completed and the callback queued.
            let created = CareRequestID(rawValue: UUID())
            try await service.complete(&submitting, careRequest: created)
            let stored = try #require(try await service.draft(id))
            #expect(stored.status == .submitted(created))
            #expect(try await oss.app.outboxLog.messages(destination: "express", limit: 10).count == 1)
        }
    }
}
