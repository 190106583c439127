import Foundation
import OSSDomain
import Testing
import Vocabulary

/// The onboarding rules, without a server: what a step's form records, where the person goes next, and what a
/// submitted draft asks Station to create.
@Suite("Draft rules")
struct DraftDomainTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let partner = PartnerID.random(), user = UserID.random()

    func draft(_ audience: Audience = .partner, answers: Draft.Answers = .init()) -> Draft {
        Draft(
            id: .random(), audience: audience,
            owner: audience == .partner ? .partnerUser(Self.partner, Self.user) : .patient(account: "subject-1"),
            answers: answers, createdAt: Self.now)
    }

    /// A draft with every step answered, as a person would.
    func complete(_ audience: Audience = .partner, symptoms: [String: String] = ["symptom_cough": "on"]) -> Draft {
        var d = draft(audience)
        _ = d.record(
            .patient,
            form: [
                "given_name": "Nora", "family_name": "Newcomer", "date_of_birth": "1950-02-03", "sex": "female",
                "phone": "303-555-0100",
            ], today: Self.now)
        _ = d.record(
            .reason, form: ["chief_complaint": "Cough for three days"].merging(symptoms) { a, _ in a }, today: Self.now)
        _ = d.record(
            .location, form: ["line1": "1 Main St", "city": "Denver", "state": "co", "zip": "80202"], today: Self.now)
        d.answers.market = .init(id: .random(), name: "Denver", timeZone: "America/Denver")
        _ = d.record(.window, form: ["window": "2026-09-22T15:00:00Z|2026-09-22T17:00:00Z"], today: Self.now)
        _ = d.record(.details, form: ["self_pay": "on", "callback_phone": "303 555 0199"], today: Self.now)
        return d
    }

    @Test("bad answers are kept as typed, each bad field with the message the page shows")
    func patientErrors() {
        var d = draft()
        let errors = d.record(
            .patient,
            form: [
                "given_name": "  Nora ", "family_name": "", "date_of_birth": "1950-02-30",
                "sex": "female", "phone": "call me",
            ], today: Self.now)
        #expect(
            errors == [
                .familyName: "Enter the patient's last name.",
                .dateOfBirth: "Enter the date of birth as YYYY-MM-DD.",
                .phone: "Enter a phone number with area code, such as (303) 555-0100.",
            ])
        #expect(d.formValues[.givenName] == "Nora")
        #expect(d.formValues[.dateOfBirth] == "1950-02-30")
        let future = d.record(
            .patient,
            form: ["given_name": "A", "family_name": "B", "date_of_birth": "2999-01-01", "phone": "3035550100"],
            today: Self.now)
        #expect(future == [.dateOfBirth: "The date of birth cannot be in the future.", .sex: "Choose one."])
    }

    @Test("a patient Station knows is not replaced by what the patient step posts")
    func knownPatient() {
        let known = Draft.KnownPatient(id: .random(), name: "Eleanor Whitfield", dateOfBirth: "1941-03-09")
        var d = draft(answers: .init(patient: .existing(known)))
        #expect(d.record(.patient, form: ["given_name": "Someone"], today: Self.now).isEmpty)
        #expect(d.answers.patient == .existing(known))
    }

    @Test("screening decides the way on: an emergency closes the flow, a nurse skips the time window")
    func screeningRoutes() {
        var emergency = draft()
        #expect(
            emergency.record(.reason, form: ["chief_complaint": "Chest", "symptom_chest_pain": "on"], today: Self.now)
                .isEmpty)
        #expect(emergency.next(after: .reason) == .emergency)
        #expect(emergency.answers.reason?.reasonCodes == ["chest_pain"])

        var nurse = draft()
        _ = nurse.record(
            .reason, form: ["chief_complaint": "Confused", "symptom_confusion": "on", "symptom_bogus": "on"],
            today: Self.now)
        #expect(nurse.answers.reason?.outcome == .nurseTriage)
        #expect(nurse.answers.reason?.symptoms == ["confusion"])
        #expect(!nurse.steps.contains(.window))
        #expect(nurse.next(after: .location) == .step(.details))

        var plain = draft()
        #expect(
            plain.record(.reason, form: ["chief_complaint": ""], today: Self.now)
                == [.chiefComplaint: "Tell us, in a few words, why the patient needs a visit."])
        #expect(plain.next(after: .location) == .step(.window))
        #expect(plain.next(after: .review) == .step(.review))
    }

    @Test("a window is chosen as start|end and labelled in the market's zone; anything else is no window")
    func window() {
        var d = draft(answers: .init(market: .init(id: .random(), name: "Denver", timeZone: "America/Denver")))
        let value = "2026-09-22T15:00:00Z|2026-09-22T17:00:00Z"
        #expect(d.record(.window, form: ["window": value], today: Self.now).isEmpty)
        #expect(d.answers.window?.label == "Tue, Sep 22, 9:00 AM – 11:00 AM MDT")
        #expect(d.formValues[.window] == value)
        // Posting nothing keeps the choice; posting nonsense clears it.
        #expect(d.record(.window, form: [:], today: Self.now).isEmpty)
        #expect(d.record(.window, form: ["window": "soon"], today: Self.now) == [.windowStart: "Choose a time window."])
    }

    @Test("partners may skip insurance and power of attorney; patients must give insurance or self-pay, and a phone")
    func details() {
        var partner = draft(.partner)
        #expect(partner.record(.details, form: [:], today: Self.now).isEmpty)
        var direct = draft(.direct)
        #expect(
            direct.record(.details, form: [:], today: Self.now) == [
                .payer: "Enter the insurance company, or choose self-pay.",
                .memberID: "Enter the member ID from the insurance card, or choose self-pay.",
                .callbackPhone: "Enter a phone number where we can reach you.",
            ])
        #expect(
            direct.record(.details, form: ["self_pay": "on", "callback_phone": "303 555 0100"], today: Self.now).isEmpty
        )
        #expect(
            partner.record(.details, form: ["payer": "Aetna", "poa_name": "Sam"], today: Self.now) == [
                .memberID: "Enter the member ID from the insurance card.",
                .poaPhone: "Enter a phone number for the power of attorney.",
            ])
    }

    @Test("a draft is submittable only when every step is done and a market visits the address")
    func unfinished() {
        var d = complete()
        #expect(d.unfinishedStep(today: Self.now) == nil)
        d.answers.market = nil
        #expect(d.unfinishedStep(today: Self.now)?.step == .location)
        #expect(draft().unfinishedStep(today: Self.now)?.step == .patient)
    }

    @Test("the care request to create carries the answers in Station's terms")
    func careRequest() throws {
        var d = complete()
        let patient = PatientID.random()
        d.patientCreated(patient, name: "Nora Newcomer", dateOfBirth: "1950-02-03")
        let request = d.careRequest(patient: patient, requesterName: "Sam Scheduler")
        #expect(request.partner == Self.partner && request.createdBy == Self.user && request.source == .partner)
        #expect(request.idempotencyKey == d.id)
        #expect(
            request.visitAddress == .init(line1: "1 Main St", line2: nil, city: "Denver", state: "CO", zip: "80202"))
        #expect(request.requester == .init(name: "Sam Scheduler", phone: "303 555 0199", relationship: "Partner staff"))
        #expect(request.callbackContact == .init(name: "Caller", phone: "303 555 0199", relationship: nil))
        #expect(request.insurance == .selfPay && request.powerOfAttorney == nil)
        #expect(request.screening.outcome == .selfSchedule && request.screening.answers["cough"] == "yes")
        #expect(request.timeWindow?.duration == 7200)

        // Without a callback number the patient's own phone, typed before Station made the patient, is the requester's.
        d.answers.details?.callback = .init()
        #expect(d.careRequest(patient: patient, requesterName: "Sam").requester.phone == "303-555-0100")

        let nurse = complete(.direct, symptoms: ["symptom_fall_injury": "on"])
        let direct = nurse.careRequest(patient: patient, requesterName: "Pat")
        #expect(
            direct.timeWindow == nil && direct.createdBy == nil && direct.partner == nil && direct.source == .direct)
        #expect(direct.screening.reasonCodes == ["fall_injury"])
    }

    @Test("a new patient is created from the patient and address steps, with the account's email only for patients")
    func patientToCreate() throws {
        guard case .toCreate(let partner) = complete(.partner).requestPatient(accountEmail: "sam@sunrise.example")
        else {
            Issue.record("no patient to create")
            return
        }
        #expect(
            partner.email == nil && partner.sex == .female && partner.phone == "303-555-0100"
                && partner.address.state == "CO")
        guard case .toCreate(let direct) = complete(.direct).requestPatient(accountEmail: "pat@example.com") else {
            Issue.record("no patient to create")
            return
        }
        #expect(direct.email == "pat@example.com")
        var known = complete()
        let id = PatientID.random()
        known.patientCreated(id, name: "Nora Newcomer", dateOfBirth: "1950-02-03")
        #expect(known.requestPatient(accountEmail: "") == .known(id))
    }

    @Test("Station's refusal of a field goes back to the step that asks for it")
    func refusedStep() {
        let refused = Draft.refusedStep([
            "date_of_birth": "This date of birth is too long ago.", "zip": "This zip is unknown.",
        ])
        #expect(refused.step == .patient && refused.errors == [.dateOfBirth: "This date of birth is too long ago."])
        #expect(Draft.refusedStep(["priority": "x"]).step == .review)
    }

    @Test("answers survive a round trip through their stored JSON")
    func codable() throws {
        let d = complete()
        let data = try JSONEncoder().encode(d.answers)
        #expect(try JSONDecoder().decode(Draft.Answers.self, from: data) == d.answers)
        var known = d
        known.patientCreated(.random(), name: "Nora Newcomer", dateOfBirth: "1950-02-03")
        let stored = try JSONEncoder().encode(known.answers)
        #expect(String(decoding: stored, as: UTF8.self).contains(#""patient":{"existing":{"#))
        #expect(try JSONDecoder().decode(Draft.Answers.self, from: stored) == known.answers)
    }
}
