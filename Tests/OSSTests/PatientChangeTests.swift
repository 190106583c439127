import Fluent
import Foundation
import OSSDomain
import TestSupport
import Testing
import Vapor
import Vocabulary

@testable import OSS

/// A patient changes their own request in the patients' app, by the same rules as partners.
@Suite("Changing a request (patients)")
struct PatientChangeTests {
    typealias Harness = OSSHarness

    /// A signed-in patient whose account is linked to `patient` in Station.
    func patient(_ oss: OSSHarness, _ patient: PatientID, account: String = "pat-1") async throws -> TestBrowser {
        try await OSSApp.service(oss.app).link(account: account, to: patient)
        return try await oss.browser(patient: account)
    }

    @Test("a patient cancels their own request and lands on it with a confirmation")
    func cancel() async throws {
        try await Harness.with { oss in
            let world = oss.changeWorld(partner: nil)
            let id = world.current.id
            let browser = try await patient(oss, world.current.patient)
            let page = "/requests/\(id.wire)/cancel"
            let form = try await browser.get(page)
            #expect(form.status == .ok && form.text.contains(CancellationReason.scheduledElsewhere.label))
            #expect(form.text.contains("href=\"/requests/\(id.wire)\""))
            #expect(try await browser.post(page, ["reason": "scheduled_elsewhere"]).location == page + "/confirm")
            let done = try await browser.post(page + "/confirm")
            #expect(done.location == "/requests/\(id.wire)?changed=cancelled")
            let landed = try await browser.get(try #require(done.location))
            #expect(landed.status == .ok && landed.text.contains("cancelled"))
            let sent = try #require(world.cancellations.first)
            #expect(sent.requester == ChangeRequester(scope: .patient(world.current.patient), onBehalfOf: "pat-1"))
            #expect(sent.note == nil)
            #expect(
                oss.policy.changeQuestions.first
                    == ChangeQuestion(
                        asker: .patient(account: "pat-1"), roles: [], careRequest: id, requestPartner: nil,
                        requestOwner: "pat-1", managingAccounts: ["pat-1"]))
            // Cancelled, it offers no change any more.
            #expect(try await browser.get(page).status == .conflict)
        }
    }

    @Test("a patient reschedules their own request; anyone else's, or a partner's, is not found")
    func reschedule() async throws {
        try await Harness.with { oss in
            let world = oss.changeWorld(partner: nil)
            let id = world.current.id
            let stranger = try await patient(oss, .random(), account: "pat-2")
            let hidden = try await stranger.get("/requests/\(id.wire)/reschedule")
            #expect(hidden.status == .notFound && !hidden.text.contains("Sunrise Way"))

            let browser = try await patient(oss, world.current.patient)
            let page = "/requests/\(id.wire)/reschedule"
            let picker = try await browser.get(page)
            let value = try #require(oss.windowValues(picker.text).last)
            #expect(try await browser.post(page, ["window": value]).location == page + "/confirm")
            #expect(try await browser.post(page + "/confirm").location == "/requests/\(id.wire)?changed=rescheduled")
            #expect(world.current.timeWindow?.start == StationWorld.windows[2].start)

            world.set { $0.partner = Harness.sunrise }
            #expect(try await browser.get(page).status == .notFound)
        }
    }
}
