import Fluent
import Foundation
import OSSDomain
import Platform
import TestSupport
import Testing
import Vapor
import Vocabulary

@testable import OSS

/// A published window's booking link (`/book?slot=…`, from Station's SMART Scheduling Links): sign-in and back, a
/// new draft keeping the window, screening first, then that window preselected at the window step, or a note saying
/// why it is not.
@Suite("Booking links")
struct BookingLinkTests {
    typealias Harness = OSSHarness
    /// Tuesday, December 1, 2026, 8:00 AM in Denver.
    static let start = Date(timeIntervalSince1970: 1_796_137_200)
    static let slot = SlotReference(market: StationWorld.denver.id, start: start)
    static let linked = OpenWindow(start: start, end: start.addingTimeInterval(7200), remaining: 1)
    static let later = OpenWindow(
        start: start.addingTimeInterval(7200), end: start.addingTimeInterval(14_400), remaining: 2)

    /// A signed-in patient who schedules for themselves only.
    static func patient(_ oss: Harness) async throws -> TestBrowser {
        let browser = try await oss.browser(patient: "linked-patient")
        _ = try await browser.post("/people/new", ["myself": "on"])
        return browser
    }

    /// Opens `slot`'s link, answers the steps before the window (self-scheduling symptoms, a Denver address), and
    /// returns the window step's page and the draft's base path.
    static func windowStep(_ oss: Harness, _ browser: TestBrowser, slot: SlotReference = slot) async throws
        -> (page: BrowserResponse, base: String)
    {
        let start = try #require(try await browser.get("/book?slot=\(slot.wire)").location)
        let base = start.replacingOccurrences(of: "/patient", with: "")
        _ = try await browser.post(
            base + "/patient",
            [
                "given_name": "Pat", "family_name": "Patient", "date_of_birth": "1960-06-06", "sex": "other",
                "phone": "303-555-0123",
            ])
        let reason = try await browser.post(base + "/reason", ["chief_complaint": "Rash", "symptom_wound": "on"])
        #expect(reason.location == base + "/location")
        let location = try await browser.post(
            base + "/location", ["line1": "2 Colfax Ave", "city": "Denver", "state": "CO", "zip": "80203"])
        #expect(location.location == base + "/window")
        return (try await browser.get(base + "/window"), base)
    }

    static func draft(_ oss: Harness, _ path: String) async throws -> Draft {
        let id = try #require(DraftID(wire: String(path.split(separator: "/")[1])))
        return try #require(try await OSSApp.service(oss.app).draft(id))
    }

    static func checked(_ window: OpenWindow) -> String {
        "value=\"\(Draft.TimeWindow.formValue(start: window.start, end: window.end))\" checked>"
    }

    @Test("one person: the link opens a new draft at its first step, keeping the slot; the URL carries ids only")
    func onePerson() async throws {
        try await Harness.with { oss in
            let browser = try await Self.patient(oss)
            let response = try await browser.get("/book?slot=\(Self.slot.wire)")
            #expect(response.status == .seeOther)
            let location = try #require(response.location)
            #expect(location.hasPrefix("/drafts/") && location.hasSuffix("/patient"))
            let draft = try await Self.draft(oss, location)
            #expect(draft.answers.wantedSlot == Self.slot)
            #expect(draft.answers.person != nil && draft.audience == .direct)
            #expect(try await browser.get(location).text.contains("Tell us about yourself."))
        }
    }

    @Test("a link whose slot is not one is a 400 page with a way to start a request, and opens no draft")
    func invalid() async throws {
        try await Harness.with { oss in
            let browser = try await Self.patient(oss)
            for target in [
                "/book?slot=not-a-slot", "/book", "/book?slot=\(StationWorld.denver.id.wire)",
                "/book?slot=\(StationWorld.denver.id.wire).-5", "/book?slot=\(Self.slot.wire).acute-care",
            ] {
                let page = try await browser.get(target)
                #expect(page.status == .badRequest, "\(target)")
                #expect(page.text.contains("<h1>This booking link is not valid</h1>"))
                #expect(page.text.contains("<a class=\"button secondary\" href=\"/\">Start a request</a>"))
            }
            #expect(try await DraftModel.query(on: oss.app.db).count() == 0)
        }
    }

    @Test("signed out, the link sends the browser to sign in and back to the same link")
    func signedOut() async throws {
        try await Harness.with { oss in
            let signedOut = TestBrowser(app: oss.app)
            let response = try await signedOut.get("/book?slot=\(Self.slot.wire)")
            #expect(response.status == .seeOther)
            let location = try #require(response.location)
            #expect(location.hasPrefix("/sign-in?"))
            let back = try #require(queryParameters(location)["return"])
            #expect(back == "/book?slot=\(Self.slot.wire)")
            // Sign-in's callback goes where the return says (only this app's paths), so the link goes on.
            let auth = FlowAuthController(
                app: FlowApp(
                    audience: .direct, prefix: "",
                    relyingParty: RelyingParty(
                        .init(issuer: "http://127.0.0.1:9/x", clientID: "x", clientSecret: "x", redirectURI: "http://x")
                    )),
                service: try OSSApp.service(oss.app))
            #expect(auth.safeReturn(back) == back)
            let signedIn = try await Self.patient(oss)
            let draft = try #require(try await signedIn.get(back).location)
            #expect(try await Self.draft(oss, draft).answers.wantedSlot == Self.slot)
            #expect(try await DraftModel.query(on: oss.app.db).count() == 1)
        }
    }

    @Test("several people: the link asks whom the visit is for, carrying the slot to the draft it starts")
    func severalPeople() async throws {
        try await Harness.with { oss in
            let (browser, _, father) = try await FamilyTests.daughter(oss)
            // A saved request is not offered: it would not carry the link's time.
            _ = try await browser.post("/drafts", ["person": father.id.wire])
            let home = try await browser.get("/book?slot=\(Self.slot.wire)")
            #expect(home.status == .ok)
            #expect(home.text.contains("<legend>Who is this visit for?</legend>"))
            #expect(home.text.contains("<input type=\"hidden\" name=\"slot\" value=\"\(Self.slot.wire)\">"))
            #expect(home.text.contains("role=\"status\">We keep the time from your link"))
            #expect(!home.text.contains("Continue your saved request"))
            let unchosen = try await browser.post("/drafts", ["slot": Self.slot.wire])
            #expect(unchosen.status == .unprocessableEntity)
            #expect(unchosen.text.contains("name=\"slot\" value=\"\(Self.slot.wire)\""))
            let start = try #require(
                try await browser.post("/drafts", ["person": father.id.wire, "slot": Self.slot.wire]).location)
            let draft = try await Self.draft(oss, start)
            #expect(draft.answers.wantedSlot == Self.slot && draft.answers.person == father.id)
            // Home without a link starts drafts without one.
            let plain = try #require(try await browser.post("/drafts", ["person": father.id.wire]).location)
            #expect(try await Self.draft(oss, plain).answers.wantedSlot == nil)
        }
    }

    @Test("an account with nobody yet says whom it schedules for, then the link goes on to its draft")
    func nobodyYet() async throws {
        try await Harness.with { oss in
            let browser = try await oss.browser(patient: "new-patient")
            let first = try #require(try await browser.get("/book?slot=\(Self.slot.wire)").location)
            #expect(first == "/people/new?slot=\(Self.slot.wire)")
            #expect(
                try await browser.get(first).text.contains(
                    "<input type=\"hidden\" name=\"slot\" value=\"\(Self.slot.wire)\">"))
            let saved = try await browser.post("/people/new", ["myself": "on", "slot": Self.slot.wire])
            #expect(saved.location == "/book?slot=\(Self.slot.wire)")
            let draft = try #require(try await browser.follow(saved).location)
            #expect(try await Self.draft(oss, draft).answers.wantedSlot == Self.slot)
        }
    }

    @Test("after screening, the link's window is preselected with a note saying so, and Next keeps it")
    func preselected() async throws {
        try await Harness.with { oss in
            oss.stationSchedules()
            oss.station.stub { $0.windows = { _ in [BookingLinkTests.linked, BookingLinkTests.later] } }
            let browser = try await Self.patient(oss)
            let (page, base) = try await Self.windowStep(oss, browser)
            #expect(page.status == .ok)
            #expect(
                page.text.contains(
                    "<p id=\"link-note\" class=\"flash flash-info\" role=\"status\">The time from your link is selected: Tue, Dec 1, 8:00 AM – 10:00 AM.</p>"
                ))
            #expect(page.text.contains(Self.checked(Self.linked)))
            #expect(!page.text.contains(Self.checked(Self.later)))
            // The form posts the checked window as it is.
            let value = Draft.TimeWindow.formValue(start: Self.linked.start, end: Self.linked.end)
            #expect(try await browser.post(base + "/window", ["window": value]).location == base + "/details")
            #expect(try await Self.draft(oss, base + "/window").answers.window?.start == Self.start)
        }
    }

    @Test("a person who chose another window keeps it; the link does not overrule them")
    func choiceStands() async throws {
        try await Harness.with { oss in
            oss.stationSchedules()
            oss.station.stub { $0.windows = { _ in [BookingLinkTests.linked, BookingLinkTests.later] } }
            let browser = try await Self.patient(oss)
            let (_, base) = try await Self.windowStep(oss, browser)
            let other = Draft.TimeWindow.formValue(start: Self.later.start, end: Self.later.end)
            _ = try await browser.post(base + "/window", ["window": other])
            let page = try await browser.get(base + "/window")
            #expect(page.text.contains(Self.checked(Self.later)) && !page.text.contains(Self.checked(Self.linked)))
            #expect(!page.text.contains("link-note"))
        }
    }

    @Test("a window filled meanwhile, or gone, says so and offers the fresh windows, none chosen")
    func noLongerAvailable() async throws {
        for offered in [[OpenWindow(start: Self.start, end: Self.linked.end, remaining: 0), Self.later], [Self.later]] {
            try await Harness.with { oss in
                oss.stationSchedules()
                oss.station.stub { $0.windows = { _ in offered } }
                let browser = try await Self.patient(oss)
                let (page, _) = try await Self.windowStep(oss, browser)
                #expect(
                    page.text.contains(
                        "<p id=\"link-note\" class=\"flash flash-warning\" role=\"alert\">The time from your link is no longer available. Choose another time.</p>"
                    ))
                #expect(
                    oss.windowValues(page.text)
                        == [Self.later].map { Draft.TimeWindow.formValue(start: $0.start, end: $0.end) })
                #expect(!page.text.contains(" checked>"))
            }
        }
    }

    @Test("a link of another market than the address's says so and offers the address's windows")
    func otherArea() async throws {
        try await Harness.with { oss in
            oss.stationSchedules()
            oss.station.stub { $0.windows = { _ in [BookingLinkTests.linked, BookingLinkTests.later] } }
            let browser = try await Self.patient(oss)
            let boulder = SlotReference(
                market: MarketID(wire: "3a000000-0000-4000-8000-000000000002")!, start: Self.start)
            let (page, _) = try await Self.windowStep(oss, browser, slot: boulder)
            #expect(
                page.text.contains(
                    "role=\"alert\">The time from your link is in another area than this address. Choose a time below.</p>"
                ))
            #expect(oss.windowValues(page.text).count == 2 && !page.text.contains(" checked>"))
            #expect(oss.station.windowsAsked.allSatisfy { $0.market == StationWorld.denver.id })
        }
    }

    @Test("screening still decides: an emergency sign ends a linked draft at 911, before any window")
    func screeningFirst() async throws {
        try await Harness.with { oss in
            let browser = try await Self.patient(oss)
            let start = try #require(try await browser.get("/book?slot=\(Self.slot.wire)").location)
            let base = start.replacingOccurrences(of: "/patient", with: "")
            let reason = try await browser.post(
                base + "/reason", ["chief_complaint": "Pain", "symptom_chest_pain": "on"])
            #expect(reason.location == base + "/emergency")
            #expect(oss.station.windowsAsked.isEmpty)
        }
    }

    @Test(
        "the picker asks for windows the dispatch plan can still fit at the visit's ZIP code, and offers none the plan cannot"
    )
    func onlyWindowsThePlanFits() async throws {
        try await Harness.with { oss in
            oss.stationSchedules()
            var stubbed = StationWorld.windows
            stubbed[0].fitsPlan = false
            stubbed[1].fitsPlan = true
            let windows = stubbed
            oss.station.stub { $0.windows = { _ in windows } }
            let browser = try await Self.patient(oss)
            let plain = try #require(try await browser.post("/drafts").location).replacingOccurrences(
                of: "/patient", with: "")
            _ = try await browser.post(
                plain + "/location", ["line1": "2 Colfax Ave", "city": "Denver", "state": "CO", "zip": "80203"])
            let page = try await browser.get(plain + "/window")
            let offered = oss.windowValues(page.text)
            #expect(offered.count == 2)
            #expect(
                !offered.contains(Draft.TimeWindow.formValue(start: windows[0].start, end: windows[0].end)),
                "the teams' days are full there")
            #expect(
                oss.station.windowsAsked.last?.visit
                    == PlannedVisitPlace(zip: "80203", serviceLine: StationWorld.acuteCare.id))
        }
    }

    @Test("the picker covers the days through the link's day (a week without a link)")
    func coversTheSlotsDay() async throws {
        try await Harness.with { oss in
            oss.stationSchedules()
            let zone = TimeZone(identifier: StationWorld.denver.timeZone)!
            let day = { (date: Date) in DateText.string(date, "yyyy-MM-dd", zone: zone, locale: "en_US_POSIX") }
            let now = oss.clock.now
            let tenDays = SlotReference(market: StationWorld.denver.id, start: now.addingTimeInterval(10 * 86_400))
            let browser = try await Self.patient(oss)
            _ = try await Self.windowStep(oss, browser, slot: tenDays)
            #expect(oss.station.windowsAsked.last?.from == day(now))
            #expect(oss.station.windowsAsked.last?.to == day(tenDays.start))

            let plain = try #require(try await browser.post("/drafts").location).replacingOccurrences(
                of: "/patient", with: "")
            _ = try await browser.post(
                plain + "/location", ["line1": "2 Colfax Ave", "city": "Denver", "state": "CO", "zip": "80203"])
            _ = try await browser.get(plain + "/window")
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            #expect(oss.station.windowsAsked.last?.to == day(calendar.date(byAdding: .day, value: 6, to: now)!))
        }
    }
}
