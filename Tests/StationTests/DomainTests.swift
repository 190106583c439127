import Foundation
import StationDomain
import Testing
import Vocabulary

@testable import Station

@Suite("Care request status transitions")
struct TransitionTests {
    @Test(
        "the happy path moves one step at a time",
        arguments: [
            (CareRequestStatus.pendingTriage, CareRequestStatus.requested), (.requested, .accepted),
            (.accepted, .scheduled),
            (.scheduled, .onRoute), (.onRoute, .onScene), (.onScene, .complete),
        ])
    func forward(from: CareRequestStatus, to: CareRequestStatus) {
        #expect(from.canMove(to: to))
    }

    @Test(
        "skipping, going back and leaving a closed request are refused",
        arguments: [
            (CareRequestStatus.requested, CareRequestStatus.scheduled), (.requested, .complete),
            (.accepted, .requested),
            (.complete, .archived), (.archived, .requested), (.pendingTriage, .accepted), (.onScene, .onRoute),
        ])
    func refused(from: CareRequestStatus, to: CareRequestStatus) {
        #expect(!from.canMove(to: to))
        #expect(throws: StatusTransition.Refusal.notAllowed(from: from, to: to)) {
            try StatusTransition(from: from, to: to, reason: "x", eta: DateInterval(start: .now, duration: 60))
                .validate(now: .now)
        }
    }

    @Test("every open status can be archived, with a reason")
    func archive() throws {
        for status in CareRequestStatus.allCases where status.isOpen {
            #expect(throws: StatusTransition.Refusal.reasonRequired) {
                try StatusTransition(from: status, to: .archived, reason: "  ", eta: nil).validate(now: .now)
            }
            try StatusTransition(from: status, to: .archived, reason: "Duplicate", eta: nil).validate(now: .now)
        }
    }

    @Test("scheduling needs an ETA range")
    func scheduleNeedsETA() throws {
        #expect(throws: StatusTransition.Refusal.etaRequired) {
            try StatusTransition(from: .accepted, to: .scheduled, reason: nil, eta: nil).validate(now: .now)
        }
        try StatusTransition(
            from: .accepted, to: .scheduled, reason: nil, eta: DateInterval(start: .now, duration: 3600)
        ).validate(now: .now)
    }

    @Test("complete and archived are past; everything else is current")
    func phases() {
        #expect(CareRequestStatus.allCases.filter { $0.phase == .past } == [.complete, .archived])
    }
}

@Suite("Page cursors")
struct CursorTests {
    @Test("a cursor survives its round trip")
    func roundTrip() throws {
        let cursor = PageCursor(kind: .patients, keys: ["whitfield", "eleanor"], id: UUID())
        #expect(try PageCursor(decoding: cursor.encoded, kind: .patients, keyCount: 2) == cursor)
    }

    @Test(
        "tampered, foreign or malformed cursors are refused",
        arguments: [
            "", "not-base64!!", "Y3I", PageCursor(kind: .careRequests, keys: ["1"], id: UUID()).encoded,
        ])
    func invalid(text: String) {
        #expect(throws: PageCursor.Invalid.self) { try PageCursor(decoding: text, kind: .patients, keyCount: 2) }
    }

    @Test("page sizes default to 25 and stay within 1...100")
    func pageSize() {
        #expect(PageSize.resolve(nil) == 25)
        #expect(PageSize.resolve(100) == 100)
        #expect(PageSize.resolve(0) == nil)
        #expect(PageSize.resolve(101) == nil)
    }
}

@Suite("Patient search keys")
struct SearchKeyTests {
    @Test("keys ignore case, accents and punctuation")
    func folding() {
        #expect(SearchKey.name("Renée O'Brien-Müller") == "reneeobrienmuller")
        #expect(SearchKey.name("ÉLÉANOR") == SearchKey.name("eleanor"))
    }

    @Test("a date searches the date of birth, in either spelling")
    func dates() throws {
        #expect(try PatientQuery("1938-04-12") == .dateOfBirth("1938-04-12"))
        #expect(try PatientQuery("4/12/1938") == .dateOfBirth("1938-04-12"))
    }

    @Test("digits search phones; words search names")
    func prefixes() throws {
        #expect(try PatientQuery("(303) 555") == .prefix(name: "303555", digits: "303555"))
        #expect(try PatientQuery("Whit") == .prefix(name: "whit", digits: ""))
        #expect(throws: PatientQuery.Empty.self) { try PatientQuery(" -- ") }
    }
}

@Suite("Market time windows")
struct MarketScheduleTests {
    let denver = MarketSchedule(
        timeZone: TimeZone(identifier: "America/Denver")!, opensAt: 8 * 60, closesAt: 20 * 60,
        windowMinutes: 120, capacityPerWindow: 4)

    @Test("a day is cut into equal windows from opening to closing, in the market's time zone")
    func windows() throws {
        let day = try #require(LocalDate(iso: "2026-07-01"))
        let windows = denver.windows(on: day)
        #expect(windows.count == 6)
        // 08:00 in Denver in July is 14:00 UTC.
        #expect(Fixtures.isoDate(windows[0].start) == "2026-07-01T14:00:00Z")
        #expect(windows.allSatisfy { $0.duration == 7200 })
    }

    @Test("only exact, upcoming windows are bookable")
    func bookable() throws {
        let day = try #require(LocalDate(iso: "2026-07-01"))
        let window = denver.windows(on: day)[2]
        let before = window.start.addingTimeInterval(-86_400)
        #expect(denver.isBookable(window, now: before))
        #expect(!denver.isBookable(window, now: window.start.addingTimeInterval(1)))
        #expect(
            !denver.isBookable(DateInterval(start: window.start.addingTimeInterval(1800), duration: 7200), now: before))
        #expect(!denver.isBookable(DateInterval(start: window.start, duration: 3600), now: before))
    }
}

@Suite("Field validation")
struct ValidationTests {
    @Test("a patient's every bad field is reported at once")
    func patient() throws {
        let today = try #require(LocalDate(iso: "2026-11-29"))
        let bad = NewPatient(
            givenName: " ", familyName: "", dateOfBirth: "2030-01-01", sex: .female, phone: "12", email: "nope")
        let error = #expect(throws: FieldErrors.self) { try bad.validate(today: today) }
        #expect(error?.entries.map(\.field) == ["given_name", "family_name", "date_of_birth", "phone", "email"])
    }

    @Test("a birth date before 1800 is too long ago, not a malformed date; year 0001 and 10000 never trap")
    func ancientBirthDate() throws {
        let today = try #require(LocalDate(iso: "2026-11-29"))
        for (dob, message) in [
            ("1799-12-31", "is more than 130 years ago"), ("0001-01-01", "is more than 130 years ago"),
            ("0001-02-30", "must be a date as YYYY-MM-DD"), ("10000-01-01", "must be a date as YYYY-MM-DD"),
            ("9999-12-31", "cannot be in the future"),
        ] {
            let patient = NewPatient(givenName: "A", familyName: "B", dateOfBirth: dob, sex: .female)
            let error = #expect(throws: FieldErrors.self) { try patient.validate(today: today) }
            #expect(error?.entries.map(\.message) == [message], "\(dob)")
        }
    }

    @Test("emergencies never become care requests, and triaged requests take no window")
    func screening() {
        let base = NewCareRequest(
            partnerID: nil, patientID: PatientID(UUID()), serviceLineID: ServiceLineID(UUID()), source: .ossD2M,
            chiefComplaint: "Chest pain",
            visitAddress: Address(line1: "1 Main", city: "Denver", state: "CO", zip: "80202"),
            requester: Person(name: "Sam", phone: "3035550100"),
            screening: Screening(
                questionnaireVersion: "2024-1", answers: [:], outcome: .emergency, reasonCodes: ["chest_pain"]))
        let emergency = #expect(throws: FieldErrors.self) { try base.validate() }
        #expect(emergency?.entries.map(\.field) == ["screening.outcome"])

        var triage = base
        triage.screening.outcome = .nurseTriage
        triage.timeWindow = DateInterval(start: .now, duration: 7200)
        let triaged = #expect(throws: FieldErrors.self) { try triage.validate() }
        #expect(triaged?.entries.map(\.field) == ["time_window"])
        triage.timeWindow = nil
        #expect(triage.initialStatus == .pendingTriage)
    }
}

@Suite("A stored care request")
struct StoredCareRequestTests {
    static func stored(requesterPhone: String?, callbackPhone: String?) -> CareRequest {
        let given = NewCareRequest(
            partnerID: .random(), patientID: .random(), serviceLineID: .random(), source: .express,
            chiefComplaint: "Fall", visitAddress: Address(line1: "1 Main", city: "Denver", state: "CO", zip: "80202"),
            requester: Person(name: "Sam", phone: requesterPhone),
            screening: Screening(questionnaireVersion: "2024-1", answers: [:], outcome: .selfSchedule, reasonCodes: []),
            callbackContact: callbackPhone.map { Person(name: "Kim", phone: $0) })
        return CareRequest(
            id: .random(), marketID: .random(), status: .requested, request: given, eta: nil,
            createdAt: .now, updatedAt: .now)
    }

    @Test(
        "the team has a number to call back: the callback contact's, else the requester's; a blank one is none",
        arguments: [
            ("3035550100", nil, true), (nil, "3035550101", true), (nil, nil, false), ("  ", nil, false),
        ] as [(String?, String?, Bool)])
    func callbackNumber(requester: String?, callback: String?, expected: Bool) {
        #expect(Self.stored(requesterPhone: requester, callbackPhone: callback).hasCallbackNumber == expected)
    }
}
