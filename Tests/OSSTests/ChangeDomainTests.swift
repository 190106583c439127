import Foundation
import OSSDomain
import Testing
import Vocabulary

/// The plain rules of a change: what a change handoff must carry, who redeems it and where it leads again, and
/// what the change pages accept before Station is asked.
@Suite("Change rules")
struct ChangeDomainTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let origins = ["http://localhost:8080"]
    static let denver = TimeZone(identifier: "America/Denver")!

    func push(intent: HandoffIntent, careRequest: String?) -> Handoff.Push {
        .init(
            partner: PartnerID.random().wire, user: UserID.random().wire, patient: nil,
            returnURL: "http://localhost:8080/care-requests/returned", synthetic: false, intent: intent,
            careRequest: careRequest)
    }

    func create(_ push: Handoff.Push) -> Result<Handoff, Handoff.Refusal> {
        Handoff.create(push, handle: "handle", now: Self.now, lifetime: 600, allowedReturnOrigins: Self.origins)
    }

    @Test("a reschedule or cancel handoff names its care request; a new one may not")
    func intentNeedsCareRequest() throws {
        let id = CareRequestID.random()
        let made = try create(push(intent: .cancel, careRequest: id.wire)).get()
        #expect(made.intent == .cancel && made.careRequest == id)
        #expect(made.change?.intent == .cancel && made.change?.careRequest == id)
        #expect(try create(push(intent: .new, careRequest: nil)).get().change == nil)
        for (intent, raw, message) in [
            (HandoffIntent.reschedule, nil, "is required to reschedule"),
            (.cancel, "not-a-uuid", "must be a UUID"),
            (.new, id.wire, "is only for a reschedule or a cancellation"),
        ] {
            guard case .failure(let refusal) = create(push(intent: intent, careRequest: raw)) else {
                Issue.record("accepted \(intent)")
                continue
            }
            #expect(refusal.fields.map(\.field) == ["care_request_id"] && refusal.fields.map(\.message) == [message])
        }
    }

    @Test("a redeemed change handoff leads its user back to the same change, however late; no one else")
    func changeRedemption() throws {
        var made = try create(push(intent: .reschedule, careRequest: CareRequestID.random().wire)).get()
        let owner = Owner.partnerUser(made.partner, made.user)
        #expect(made.redemption(by: owner, at: Self.now) == .open)
        made.redeemedAt = Self.now
        let late = made.expiresAt.addingTimeInterval(3600)
        #expect(made.redemption(by: owner, at: late) == .redeemedChange(.reschedule, try #require(made.careRequest)))
        #expect(made.redemption(by: .partnerUser(made.partner, .random()), at: Self.now) == .forSomeoneElse)
        // An unredeemed change handoff still expires.
        made.redeemedAt = nil
        #expect(made.redemption(by: owner, at: late) == .expired)
    }

    @Test("a new window must be a window and not the visit's time now, unless the address changes too")
    func chooseWindow() {
        let start = Date(timeIntervalSince1970: 1_790_010_000)
        let current = Draft.TimeWindow(start: start, end: start.addingTimeInterval(7200), label: "")
        var change = RequestChange.Reschedule(idempotencyKey: "k")
        #expect(
            RequestChange.choose(window: "soon", in: &change, current: current, zone: Self.denver)
                == ["window_start": "Choose a new time window."])
        #expect(change.window == nil)
        #expect(RequestChange.choose(window: nil, in: &change, current: current, zone: Self.denver).count == 1)
        #expect(
            RequestChange.choose(window: current.formValue, in: &change, current: current, zone: Self.denver)[
                "window_start"]?.hasPrefix("This is the visit's time now") == true)
        let later = Draft.TimeWindow.formValue(
            start: start.addingTimeInterval(7200), end: start.addingTimeInterval(14_400))
        #expect(RequestChange.choose(window: later, in: &change, current: current, zone: Self.denver).isEmpty)
        #expect(change.window?.start == start.addingTimeInterval(7200))
        change.address = .init(line1: "2 Colfax Ave", city: "Denver", state: "CO", zip: "80203")
        #expect(
            RequestChange.choose(window: current.formValue, in: &change, current: current, zone: Self.denver).isEmpty)
    }

    @Test("a cancellation needs a reason from the list; the note is optional and short")
    func chooseReason() {
        var change = RequestChange.Cancel(idempotencyKey: "k")
        #expect(
            RequestChange.choose(reason: nil, note: "  kept  ", in: &change)
                == ["reason": "Choose why the visit is cancelled."])
        #expect(change.note == "kept")
        #expect(RequestChange.choose(reason: "bored", note: nil, in: &change).keys.sorted() == ["reason"])
        #expect(
            RequestChange.choose(reason: "hospitalized", note: String(repeating: "x", count: 501), in: &change)
                == ["note": "Use at most 500 characters."])
        #expect(RequestChange.choose(reason: "hospitalized", note: "", in: &change).isEmpty)
        #expect(change.reason == .hospitalized)
    }

    @Test("a new visit address follows the address step's rules")
    func newAddress() {
        let (address, errors) = RequestChange.address(["line1": " 2 Colfax Ave ", "city": "Denver", "state": "co"])
        #expect(address.line1 == "2 Colfax Ave" && address.state == "CO")
        #expect(errors == ["zip": "Enter the 5-digit ZIP code."])
        #expect(
            RequestChange.address(["line1": "2 Colfax Ave", "city": "Denver", "state": "CO", "zip": "80203"]).1
                .isEmpty)
    }
}
