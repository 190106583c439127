import Foundation
import OSSDomain
import TestSupport
import Testing
import Vapor
import Vocabulary

@testable import OSS

// OSS's change pages against real Station and Policy: what Station records of a reschedule and a cancellation
// made through OSS, and what Policy refuses. ChangeFlowTests prove OSS's own part on fakes.

@Suite("OSS changes across services")
struct OSSChangeAcrossServicesTests {
    typealias Harness = OSSServicesHarness

    /// A Sunrise scheduler's care request made through OSS in a window: the user's id and the request's id.
    func created(_ oss: Harness) async throws -> (String, CareRequestID) {
        let user = try await oss.expressUser("scheduler@sunrise.example")
        let browser = try await oss.browser(partner: user)
        let draft = try await oss.redeem(browser, try #require(try await oss.pushHandoff(user: user).1))
        try await oss.fill(browser, draft: draft)
        let submit = try await browser.post(draft.replacingOccurrences(of: "/patient", with: "/submit"))
        let location = try #require(submit.location)
        let id = URLComponents(string: location)?.queryItems?.first { $0.name == "care_request_id" }?.value
        return (user, try #require(id.flatMap(CareRequestID.init(wire:))))
    }

    @Test("a scheduler moves a request to another window, then cancels it; Station records both as theirs")
    func rescheduleThenCancel() async throws {
        try await Harness.with { oss in
            let (user, id) = try await created(oss)
            let browser = try await oss.browser(partner: user)
            let handle = try #require(
                try await oss.pushHandoff(user: user, intent: "reschedule", careRequest: id.wire).1)
            let page = try await oss.redeem(browser, handle)
            let value = try #require(oss.windowValues(try await browser.get(page).text).last)
            #expect(try await browser.post(page, ["window": value]).location == page + "/confirm")
            let moved = try await browser.post(page + "/confirm")
            #expect(moved.location?.contains("outcome=rescheduled") == true, "\(moved.text.prefix(500))")
            let after = try #require(try await oss.downstream.station.careRequest(id))
            let chosen = try #require(Draft.TimeWindow(formValue: value, zone: .current))
            #expect(after.timeWindow?.start == chosen.start && after.calendarSequence == 1 && after.changeable)

            let cancelHandle = try #require(
                try await oss.pushHandoff(user: user, intent: "cancel", careRequest: id.wire).1)
            let cancelPage = try await oss.redeem(browser, cancelHandle)
            _ = try await browser.post(cancelPage, ["reason": "hospitalized", "note": "Admitted last night"])
            let cancelled = try await browser.post(cancelPage + "/confirm")
            #expect(cancelled.location?.contains("outcome=cancelled") == true, "\(cancelled.text.prefix(500))")
            let closed = try #require(try await oss.downstream.station.careRequest(id))
            #expect(closed.status == .archived && !closed.changeable && closed.calendarSequence == 2)
            #expect(closed.cancellation?.reason == .hospitalized && closed.cancellation?.actor == user)
            // Now closed, the page says so instead of offering a change.
            #expect(try await browser.get(cancelPage).status == .conflict)
        }
    }

    @Test("a viewer's change handoff is refused by Policy before anything of the request shows")
    func viewerRefused() async throws {
        try await Harness.with { oss in
            let (_, id) = try await created(oss)
            let viewer = try await oss.expressUser("viewer@sunrise.example")
            let browser = try await oss.browser(partner: viewer, roles: ["viewer"])
            let handle = try #require(try await oss.pushHandoff(user: viewer, intent: "cancel", careRequest: id.wire).1)
            let page = try await oss.redeem(browser, handle)
            let refused = try await browser.get(page)
            #expect(refused.status == .forbidden && refused.text.contains("reason=not_allowed"))
            #expect(try await oss.downstream.station.careRequest(id)?.status == .requested)
        }
    }
}
