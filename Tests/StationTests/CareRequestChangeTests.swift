import Foundation
import StationDomain
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Station

@Suite("A requester's cancel and reschedule")
struct CareRequestChangeTests {
    @Test("a cancellation archives the request, gives its place back once, and is in the history and the feed")
    func cancel() async throws {
        try await StationHarness.with { station in
            let window = try await station.freeWindow(of: DemoData.denver)
            let id = try await station.bookedRequest(in: window)
            #expect(try await station.booked(window) == 1)
            let response = try await station.cancel(id, reason: "hospitalized", note: "Admitted to St. Joseph's")
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.object["status"] as? String == "archived")
            #expect(response.object["calendar_sequence"] as? Int == 1)
            #expect(response.object["changeable"] as? Bool == false)
            let cancellation = try #require(response.object["cancellation"] as? [String: Any])
            #expect(cancellation["reason"] as? String == "hospitalized")
            #expect(cancellation["note"] as? String == "Admitted to St. Joseph's")
            #expect(cancellation["actor"] as? String == "express-user-7")
            let last = try #require((response.object["status_history"] as? [[String: Any]])?.last)
            #expect(last["from"] as? String == "requested")
            #expect(last["to"] as? String == "archived")
            #expect(last["actor"] as? String == "express-user-7")
            #expect(
                last["reason"] as? String == "Cancelled: The patient went to the hospital. Admitted to St. Joseph's")
            #expect(try await station.booked(window) == 0)

            let events = try await station.events(of: id)
            #expect(events.map { $0["type"] as? String } == ["care_request.created", "care_request.cancelled"])
            #expect(events.last?["new_status"] as? String == "archived")
            #expect(events.last?["old_status"] as? String == "requested")
            #expect(events.last?["window"] != nil)
            // An event carries no reason and no note.
            #expect(!String(describing: events).contains("St. Joseph"))
        }
    }

    @Test("a reschedule moves the request and its place in one step, raising the calendar sequence")
    func reschedule() async throws {
        try await StationHarness.with { station in
            let old = try await station.freeWindow(of: DemoData.denver)
            let new = try await station.freeWindow(of: DemoData.denver, skip: 1)
            let id = try await station.bookedRequest(in: old)
            let response = try await station.reschedule(id, to: new)
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.object["status"] as? String == "requested")
            #expect((response.object["time_window"] as? [String: Any])?["start"] as? String == Fixtures.isoDate(new.0))
            #expect(response.object["calendar_sequence"] as? Int == 1)
            #expect(response.object["changeable"] as? Bool == true)
            let last = try #require((response.object["status_history"] as? [[String: Any]])?.last)
            #expect(last["actor"] as? String == "express-user-7")
            #expect((last["from"] as? String, last["to"] as? String) == ("requested", "requested"))
            let zone = try #require(TimeZone(identifier: "America/Denver"))
            let oldText = RequesterChange.describe(DateInterval(start: old.0, end: old.1), in: zone)
            let newText = RequesterChange.describe(DateInterval(start: new.0, end: new.1), in: zone)
            #expect(last["reason"] as? String == "Rescheduled from \(oldText) to \(newText) (America/Denver)")
            #expect(try await station.booked(old) == 0)
            #expect(try await station.booked(new) == 1)

            let events = try await station.events(of: id)
            #expect(events.last?["type"] as? String == "care_request.rescheduled")
            #expect((events.last?["window"] as? [String: Any])?["start"] as? String == Fixtures.isoDate(new.0))

            let again = try await station.reschedule(id, to: old)
            #expect(again.object["calendar_sequence"] as? Int == 2)
            #expect(try await station.booked(old) == 1)
            #expect(try await station.booked(new) == 0)
        }
    }

    @Test("a scheduled request that moves goes back to accepted without its arrival estimate")
    func scheduledGoesBack() async throws {
        try await StationHarness.with { station in
            let old = try await station.freeWindow(of: DemoData.denver)
            let new = try await station.freeWindow(of: DemoData.denver, skip: 1)
            let id = try await station.bookedRequest(in: old)
            for step in StationHarness.walk.prefix(2) { #expect(try await station.move(id, step).status == .ok) }
            let response = try await station.reschedule(id, to: new)
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.object["status"] as? String == "accepted")
            #expect(response.object["eta"] == nil)
            let events = try await station.events(of: id)
            #expect(events.last?["old_status"] as? String == "scheduled")
            #expect(events.last?["new_status"] as? String == "accepted")
        }
    }

    @Test("a new visit address in another market moves the place to that market's window")
    func newMarket() async throws {
        try await StationHarness.with { station in
            let old = try await station.freeWindow(of: DemoData.denver)
            let phoenix = try await station.freeWindow(of: DemoData.phoenix)
            let id = try await station.bookedRequest(in: old)
            let nowhere = try await station.reschedule(id, to: phoenix, zip: "10001")
            #expect(nowhere.status == .unprocessableEntity)
            #expect(nowhere.problemFields == ["visit_address.zip"])
            let response = try await station.reschedule(id, to: phoenix, zip: "85004")
            #expect(response.status == .ok, "\(response.text)")
            #expect((response.object["market"] as? [String: Any])?["name"] as? String == "Phoenix")
            #expect((response.object["visit_address"] as? [String: Any])?["zip"] as? String == "85004")
            #expect(try await station.booked(old) == 0)
            #expect(try await station.booked(phoenix, market: DemoData.phoenix) == 1)
        }
    }

    @Test("a full window is 409 with the next windows, and nothing changes")
    func fullWindow() async throws {
        try await StationHarness.with { station in
            let old = try await station.freeWindow(of: DemoData.denver)
            let full = try await station.freeWindow(of: DemoData.denver, skip: 1)
            let id = try await station.bookedRequest(in: old)
            for _ in 0..<4 { _ = try await station.bookedRequest(in: full) }
            let response = try await station.reschedule(id, to: full)
            #expect(response.status == .conflict)
            #expect((response.object["next_available_windows"] as? [Any])?.isEmpty == false)
            #expect(try await station.booked(old) == 1)
            #expect(try await station.booked(full) == 4)
            let detail = try await station.call(.GET, "/v1/care-requests/\(id)")
            #expect(detail.object["calendar_sequence"] as? Int == 0)
        }
    }

    @Test("once the team is on the way, or the visit has ended, a change is refused saying to call, with the number")
    func closed() async throws {
        try await StationHarness.with { station in
            let window = try await station.freeWindow(of: DemoData.denver)
            let other = try await station.freeWindow(of: DemoData.denver, skip: 1)
            let id = try await station.bookedRequest(in: window)
            for step in StationHarness.walk.prefix(3) { #expect(try await station.move(id, step).status == .ok) }
            for response in [try await station.cancel(id), try await station.reschedule(id, to: other)] {
                #expect(response.status == .conflict)
                #expect(response.object["type"] as? String == "https://selfscheduling.example/problems/change-closed")
                #expect(response.object["support_phone"] as? String == "(303) 555-0100")
                #expect(response.object["current_status"] as? String == "on_route")
                let detail = try #require(response.object["detail"] as? String)
                #expect(detail.contains("call us at (303) 555-0100"), "\(detail)")
            }
            for step in StationHarness.walk.dropFirst(3) { #expect(try await station.move(id, step).status == .ok) }
            let ended = try await station.cancel(id)
            #expect(ended.status == .conflict)
            #expect(ended.object["type"] as? String == "https://selfscheduling.example/problems/change-closed")
            #expect(ended.object["current_status"] as? String == "complete")
            #expect(try await station.booked(window) == 1)
            #expect(try await station.booked(other) == 0)
        }
    }

    @Test("the number to call comes from the configuration")
    func configuredNumber() async throws {
        try await StationHarness.with(adjust: { $0.supportPhone = "(720) 555-0142" }) { station in
            let id = try await station.bookedRequest(in: nil)
            _ = try await station.move(id, #"{"to":"archived","reason":"Duplicate"}"#)
            let response = try await station.cancel(id)
            #expect(response.object["support_phone"] as? String == "(720) 555-0142")
            #expect((response.object["detail"] as? String)?.contains("(720) 555-0142") == true)
        }
    }

    @Test("a request waiting for a nurse has no window to move, but may be cancelled")
    func pendingTriage() async throws {
        try await StationHarness.with { station in
            let id = try await station.bookedRequest(in: nil)
            let window = try await station.freeWindow(of: DemoData.denver)
            let moved = try await station.reschedule(id, to: window)
            #expect(moved.status == .conflict)
            #expect(moved.object["type"] as? String == "https://selfscheduling.example/problems/change-closed")
            #expect((moved.object["detail"] as? String)?.contains("nurse") == true)
            #expect(try await station.booked(window) == 0)
            let cancelled = try await station.cancel(id)
            #expect(cancelled.status == .ok, "\(cancelled.text)")
            #expect(cancelled.object["status"] as? String == "archived")
        }
    }

    @Test("the same key and body answer again without a second change; another body under it is refused")
    func idempotentReplay() async throws {
        try await StationHarness.with { station in
            let old = try await station.freeWindow(of: DemoData.denver)
            let new = try await station.freeWindow(of: DemoData.denver, skip: 1)
            let other = try await station.freeWindow(of: DemoData.denver, skip: 2)
            let id = try await station.bookedRequest(in: old)
            let first = try await station.reschedule(id, to: new, key: "move-1")
            let replay = try await station.reschedule(id, to: new, key: "move-1")
            #expect(first.status == .ok)
            #expect(replay.status == .ok)
            #expect(replay.object["calendar_sequence"] as? Int == 1)
            #expect((replay.object["status_history"] as? [Any])?.count == 2)
            #expect(try await station.booked(new) == 1)
            #expect(try await station.booked(old) == 0)
            let reused = try await station.reschedule(id, to: other, key: "move-1")
            #expect(reused.status == .unprocessableEntity)
            #expect(reused.object["type"] as? String == "urn:selfsched:problem:idempotency-key-reused")
            let crossed = try await station.cancel(id, key: "move-1")
            #expect(crossed.status == .unprocessableEntity)
            #expect(try await station.booked(other) == 0)

            let cancelled = try await station.cancel(id, key: "cancel-1")
            let cancelledAgain = try await station.cancel(id, key: "cancel-1")
            #expect(cancelled.status == .ok)
            #expect(cancelledAgain.status == .ok)
            #expect(cancelledAgain.object["calendar_sequence"] as? Int == 2)
            #expect(try await station.booked(new) == 0)
            let events = try await station.events(of: id)
            #expect(events.filter { $0["type"] as? String == "care_request.cancelled" }.count == 1)
            #expect(events.filter { $0["type"] as? String == "care_request.rescheduled" }.count == 1)
        }
    }

    @Test("a request of another partner or another patient is unknown (404), and so is one named by neither")
    func scoping() async throws {
        try await StationHarness.with { station in
            let window = try await station.freeWindow(of: DemoData.denver)
            let id = try await station.bookedRequest(in: window)
            let patient = try await CreateCareRequestTests.eleanor(station)
            let otherPatient = PatientID.random().wire
            let refusals = [
                try await station.cancel(id, scope: ["partner_id": Fixtures.mercy]),
                try await station.cancel(
                    id, scope: ["partner_id": Fixtures.sunrise, "patient_id": otherPatient]),
                try await station.cancel(id, scope: ["patient_id": patient]),
                try await station.cancel(id, scope: [:], token: try await station.token(partner: DemoData.mercy)),
                try await station.cancel(CareRequestID.random().wire),
            ]
            for response in refusals { #expect(response.status == .notFound, "\(response.text)") }
            let nobody = try await station.cancel(id, scope: [:])
            #expect(nobody.status == .unprocessableEntity)
            #expect(try await station.booked(window) == 1)
            // A partner user's own token speaks for itself: on_behalf_of is not taken from its body.
            let user = try await station.token(
                tenant: "express", subject: "auth0|maria", client: "express-web", partner: DemoData.sunrise,
                userID: "maria")
            let own = try await station.cancel(id, scope: [:], onBehalfOf: "someone-else", token: user)
            #expect(own.status == .ok, "\(own.text)")
            #expect((own.object["cancellation"] as? [String: Any])?["actor"] as? String == "maria")
        }
    }

    @Test("a patient's own request is changed by naming the patient, and only so")
    func directPatient() async throws {
        try await StationHarness.with { station in
            let created = try await station.call(
                .POST, "/v1/patients",
                json: #"{"given_name":"Dana","family_name":"Reyes","date_of_birth":"1960-05-05","sex":"other"}"#)
            let patient = try #require(created.object["id"] as? String)
            let window = try await station.freeWindow(of: DemoData.denver)
            let request = try await station.call(
                .POST, "/v1/care-requests", json: Fixtures.careRequest(patient: patient, partner: nil, window: window),
                headers: [("Idempotency-Key", UUID().uuidString)])
            let id = try #require(request.object["id"] as? String)
            let asPartner = try await station.cancel(id)
            #expect(asPartner.status == .notFound)
            let response = try await station.cancel(
                id, scope: ["patient_id": patient], onBehalfOf: "patient-account-9")
            #expect(response.status == .ok, "\(response.text)")
            #expect(
                (response.object["status_history"] as? [[String: Any]])?.last?["actor"] as? String
                    == "patient-account-9")
            #expect(try await station.booked(window) == 0)
        }
    }
}
