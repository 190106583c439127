import Fluent
import Foundation
import OSSDomain
import TestSupport
import Testing
import Vapor
import Vocabulary

@testable import OSS

/// A partner user changes a care request they started in Express: the handoff's intent, the grant it puts in their
/// session, Policy's `update` and Station's answers, and the way back with the outcome.
@Suite("Changing a request (partners)")
struct ChangeFlowTests {
    typealias Harness = OSSHarness

    @Test(
        "a scheduler reschedules from a change handoff and goes back to Express with the outcome; a double submit replays"
    )
    func reschedule() async throws {
        try await Harness.with { oss in
            let world = oss.changeWorld()
            let id = world.current.id
            let (browser, page) = try await oss.changeHandoff(.reschedule, id)
            #expect(page == "/partner/requests/\(id.wire)/reschedule")
            let picker = try await browser.get(page)
            #expect(picker.status == .ok)
            #expect(picker.text.contains("Visit time now") && picker.text.contains("outcome=unchanged"))
            let offered = oss.windowValues(picker.text)
            let first = StationWorld.windows[0]
            #expect(
                offered.count == 2 && !offered.contains(Draft.TimeWindow.formValue(start: first.start, end: first.end)))
            // Station is asked for windows the dispatch plan fits for this visit: its own line, without itself.
            #expect(
                oss.station.windowsAsked.last?.visit
                    == PlannedVisitPlace(zip: "80202", serviceLine: OSSHarness.bridgeCare, rescheduling: id))

            let chosen = try await browser.post(page, ["window": offered[0]])
            #expect(chosen.location == page + "/confirm")
            #expect(try await browser.get(page + "/confirm").text.contains("Move the visit"))
            let done = try await browser.post(page + "/confirm")
            let back = try #require(done.location)
            #expect(back.hasPrefix("http://localhost:8080/care-requests/returned?"))
            #expect(back.contains("outcome=rescheduled") && back.contains("care_request_id=\(id.wire)"))
            #expect(world.current.timeWindow?.start == StationWorld.windows[1].start)
            // The same confirmation again (a double click) sends the same key: Station answers it again.
            #expect(try await browser.post(page + "/confirm").location == back)
            #expect(world.reschedules.count == 2 && Set(world.reschedules.map(\.idempotencyKey)).count == 1)
            let sent = try #require(world.reschedules.first)
            #expect(
                sent.requester == ChangeRequester(scope: .partner(Harness.sunrise), onBehalfOf: Harness.scheduler.owner)
            )
            #expect(sent.visitAddress == nil)
            #expect(
                oss.policy.changeQuestions.first
                    == ChangeQuestion(
                        asker: .partnerUser(Harness.sunrise, Harness.scheduler.id), roles: [.scheduler],
                        careRequest: id,
                        requestPartner: Harness.sunrise, requestOwner: nil))
            let audited = try await OSSAuditModel.query(on: oss.app.db).filter(\.$action == "care_request.reschedule")
                .all()
            #expect(audited.map(\.outcome).contains("rescheduled") && audited.allSatisfy { $0.subject == id.wire })
        }
    }

    @Test("the handle of a change spends no draft, and its user reopening it lands on the same page")
    func reopen() async throws {
        try await Harness.with { oss in
            let world = oss.changeWorld()
            let id = world.current.id
            let handle = try #require(try await oss.pushHandoff(intent: .cancel, careRequest: id).1)
            let browser = try await oss.browser(partner: Harness.scheduler)
            let start = try await browser.get("/partner/start?handoff=\(handle)").text
            #expect(start.contains("Cancel the visit") && start.contains("Keep it as it is"))
            #expect(start.contains("outcome=unchanged"))
            let first = try await oss.redeem(browser, handle)
            #expect(first == "/partner/requests/\(id.wire)/cancel")
            #expect(try await oss.redeem(browser, handle) == first)
            #expect(try await DraftModel.query(on: oss.app.db).count() == 0)
            #expect(try await HandoffModel.query(on: oss.app.db).first()?.redeemedAt != nil)
            // Another user of the partner gets nothing from the handle.
            let other = try await oss.browser(partner: Harness.admin)
            #expect(try await other.post("/partner/start", ["handoff": handle]).status == .badRequest)
            let (pushed, _) = try await oss.pushHandoff(intent: .reschedule)
            #expect(pushed.status == .unprocessableEntity && pushed.text.contains("care_request_id"))
        }
    }

    @Test("a URL alone opens nothing: the page needs this session's grant for this very request")
    func grantNeeded() async throws {
        try await Harness.with { oss in
            let world = oss.changeWorld()
            let id = world.current.id
            let stranger = try await oss.browser(partner: Harness.scheduler)
            let refused = try await stranger.get("/partner/requests/\(id.wire)/cancel")
            #expect(refused.status == .forbidden && refused.text.contains("reason=not_allowed"))
            #expect(!refused.text.contains("Sunrise Way"))
            let (browser, _) = try await oss.changeHandoff(.cancel, id)
            #expect(
                try await browser.get("/partner/requests/\(CareRequestID.random().wire)/cancel").status == .forbidden)
            #expect(try await browser.get("/partner/requests/\(id.wire)/cancel").status == .ok)
            #expect(
                try await OSSAuditModel.query(on: oss.app.db).filter(\.$outcome == "no_grant").count() == 2)
        }
    }

    @Test("a viewer is refused by Policy; another partner's request looks like none")
    func refusals() async throws {
        try await Harness.with { oss in
            let world = oss.changeWorld()
            let id = world.current.id
            let (viewer, page) = try await oss.changeHandoff(.reschedule, id, user: Harness.viewer)
            let denied = try await viewer.get(page)
            #expect(denied.status == .forbidden && denied.text.contains("dec_refused"))
            #expect(denied.text.contains("outcome=error") && denied.text.contains("reason=not_allowed"))
            #expect(!denied.text.contains("Sunrise Way"))

            world.set { $0.partner = Harness.mercy }
            let (scheduler, other) = try await oss.changeHandoff(.cancel, id)
            let hidden = try await scheduler.get(other)
            #expect(hidden.status == .notFound && !hidden.text.contains("Sunrise Way"))
            #expect(world.cancellations.isEmpty && world.reschedules.isEmpty)
        }
    }

    @Test("a full window shows Station's next windows with the new address kept")
    func fullWindow() async throws {
        try await Harness.with { oss in
            let world = oss.changeWorld()
            let id = world.current.id
            let next = StationWorld.windows[2]
            oss.station.stub { s in
                s.reschedule = { _, _ in
                    throw StationRefusal(status: 409, detail: "full", fields: [], nextWindows: [next])
                }
            }
            let (browser, page) = try await oss.changeHandoff(.reschedule, id)
            let moved = try await browser.post(
                page + "/address", ["line1": "2 Colfax Ave", "city": "Denver", "state": "co", "zip": "80203"])
            #expect(moved.location == page)
            let picker = try await browser.get(page)
            #expect(picker.text.contains("2 Colfax Ave, Denver, CO 80203"))
            _ = try await browser.post(page, ["window": oss.windowValues(picker.text)[1]])
            let full = try await browser.post(page + "/confirm")
            #expect(full.status == .conflict && full.text.contains("just filled up"))
            #expect(oss.windowValues(full.text) == [Draft.TimeWindow.formValue(start: next.start, end: next.end)])
            #expect(full.text.contains("2 Colfax Ave, Denver, CO 80203"))
            #expect(try await OSSAuditModel.query(on: oss.app.db).filter(\.$outcome == "full").count() == 1)
        }
    }

    @Test("Station not answering keeps the choice: the confirmation again, and pressing it again sends the same key")
    func stationDown() async throws {
        try await Harness.with { oss in
            let world = oss.changeWorld()
            let id = world.current.id
            let (browser, page) = try await oss.changeHandoff(.reschedule, id)
            let value = try #require(oss.windowValues(try await browser.get(page).text).last)
            _ = try await browser.post(page, ["window": value])
            oss.station.stub { s in
                s.reschedule = { _, r in
                    world.asked(r)
                    throw Unavailable(service: "Station", description: "down")
                }
            }
            let down = try await browser.post(page + "/confirm")
            #expect(down.status == .serviceUnavailable && down.text.contains("Nothing was changed yet"))
            #expect(down.text.contains("Move the visit"))
            oss.station.stub { s in s.reschedule = { _, r in world.reschedule(r) } }
            #expect(try await browser.post(page + "/confirm").location?.contains("outcome=rescheduled") == true)
            #expect(world.current.timeWindow?.start == StationWorld.windows[2].start)
            #expect(world.reschedules.count == 2 && Set(world.reschedules.map(\.idempotencyKey)).count == 1)
            oss.station.stub { s in s.careRequest = { _ in throw Unavailable(service: "Station", description: "down") }
            }
            let unavailable = try await browser.get(page)
            #expect(unavailable.status == .serviceUnavailable && unavailable.text.contains("reason=unavailable"))
        }
    }

    @Test("a visit on the way cannot be changed: the page says to call, with the number")
    func closed() async throws {
        try await Harness.with { oss in
            let world = oss.changeWorld()
            let id = world.current.id
            let (browser, page) = try await oss.changeHandoff(.cancel, id)
            #expect(try await browser.post(page, ["reason": "hospitalized"]).location == page + "/confirm")
            // Station says the change is closed (the team set out meanwhile): its number is shown.
            oss.station.stub { s in
                s.cancel = { _, _ in
                    throw StationRefusal(
                        status: 409, detail: "started", fields: [], nextWindows: [],
                        type: StationRefusal.changeClosedType, supportPhone: "(303) 555-0199")
                }
            }
            let refused = try await browser.post(page + "/confirm")
            #expect(refused.status == .conflict)
            #expect(refused.text.contains("This visit has started. Please call us at (303) 555-0199."))
            // Once Station shows it on the way, no page offers a change.
            world.set {
                $0.status = .onRoute
                $0.changeable = false
            }
            let shown = try await browser.get(page)
            #expect(shown.status == .conflict && shown.text.contains("Please call us at (303) 555-0100."))
        }
    }

    @Test(
        "cancelling asks for a reason, keeps what was typed, and goes back with the outcome; the note is never audited")
    func cancel() async throws {
        try await Harness.with { oss in
            let world = oss.changeWorld()
            let id = world.current.id
            let (browser, page) = try await oss.changeHandoff(.cancel, id)
            let missing = try await browser.post(page, ["note": "Moved to Mercy"])
            #expect(missing.status == .unprocessableEntity)
            #expect(
                missing.text.contains("Choose why the visit is cancelled.") && missing.text.contains("Moved to Mercy"))
            #expect(missing.text.contains("href=\"#reason-hospitalized\""))
            _ = try await browser.post(page, ["reason": "hospitalized", "note": "Moved to Mercy"])
            let confirm = try await browser.get(page + "/confirm")
            #expect(confirm.text.contains(CancellationReason.hospitalized.label))
            let back = try #require(try await browser.post(page + "/confirm").location)
            #expect(back.contains("outcome=cancelled") && back.contains("care_request_id=\(id.wire)"))
            let sent = try #require(world.cancellations.first)
            #expect(sent.reason == .hospitalized && sent.note == "Moved to Mercy")
            let audits = try await OSSAuditModel.query(on: oss.app.db).all()
            #expect(audits.contains { $0.action == "care_request.cancel" && $0.outcome == "cancelled" })
            #expect(!audits.contains { ($0.detail ?? "").contains("Mercy") })
        }
    }
}
