import Foundation
import OSSDomain
import Platform
import TestSupport
import Testing
import Vapor
import Vocabulary

@testable import OSS

/// What OSS tells product analytics: one attempt followed by its fingerprint, ids and known values only.
@Suite("Product analytics in OSS")
struct OSSAnalyticsTests {
    typealias Harness = OSSHarness

    static let step = AnalyticsEventName.onboardingStepCompleted.rawValue

    /// What a person typed in ``OSSHarness/fill(_:draft:symptoms:windowIndex:)``: never in an event.
    static let typed = ["Nora", "Newcomer", "1950-02-03", "303-555", "Larimer", "Denver", "Cough", "Front desk"]

    static func names(_ messages: [AnalyticsMessage]) -> [String] { messages.compactMap(\.event) }

    static func json(_ messages: [AnalyticsMessage]) throws -> String {
        String(decoding: try AnalyticsMessage.makeEncoder().encode(messages), as: UTF8.self)
    }

    @Test(
        "a partner flow sends Handoff Redeemed, each step once, screening, Submitted and Created, all with the handoff's fingerprint and the partner"
    )
    func partnerFlow() async throws {
        try await Harness.with { oss in
            let world = oss.stationSchedules()
            let handle = try #require(try await oss.pushHandoff().1)
            let browser = try await oss.browser(partner: Harness.scheduler)
            let draft = try await oss.redeem(browser, handle)
            try await oss.fill(browser, draft: draft)
            let base = draft.replacingOccurrences(of: "/patient", with: "")
            // "Change" from the review page accepts a step again: it was done already and is not counted twice.
            _ = try await browser.post(
                base + "/location", ["line1": "1601 Larimer St", "city": "Denver", "state": "CO", "zip": "80202"])
            #expect(try await browser.post(base + "/submit").status == .seeOther)

            let tracked = await oss.analytics.tracked
            #expect(
                Self.names(tracked) == [
                    "Handoff Redeemed", Self.step, Self.step, "Screening Completed", Self.step, Self.step, Self.step,
                    Self.step, "Care Request Submitted", "Care Request Created",
                ])
            #expect(
                tracked.compactMap { $0.property(.step) } == [
                    "patient", "reason", "location", "window", "details", "review",
                ])
            let fingerprint = Handoff.fingerprint(of: handle)
            for message in tracked {
                #expect(message.property(.handoffFingerprint) == fingerprint, "\(message.event ?? "")")
                #expect(message.partnerID == Harness.sunrise.wire && message.userId == Harness.scheduler.owner)
                #expect(message.property(.audience) == "partner" && message.context.app.name == "oss")
            }
            #expect(tracked.first { $0.event == "Screening Completed" }?.property(.outcome) == "self_schedule")
            let made = try #require(world.made.first)
            #expect(tracked.last?.property(.careRequestID) == made.id.wire)

            // Who they are: the role and the partner, nothing else.
            let all = await oss.analytics.messages
            let identify = try #require(all.first { $0.type == .identify })
            #expect(identify.userId == Harness.scheduler.owner)
            #expect(identify.traits == ["roles": .string("scheduler"), "partner_id": .string(Harness.sunrise.wire)])
            #expect(all.first { $0.type == .group }?.groupId == Harness.sunrise.wire)
            let text = try Self.json(all)
            for needle in Self.typed { #expect(!text.contains(needle), "\(needle)") }
        }
    }

    @Test(
        "an emergency sign sends Screening Completed, Emergency Advised and the 911 phone page, and nothing is created")
    func emergency() async throws {
        try await Harness.with { oss in
            let (browser, draft) = try await oss.newDraft()
            let base = draft.replacingOccurrences(of: "/patient", with: "")
            _ = try await browser.post(
                base + "/patient",
                [
                    "given_name": "A", "family_name": "B", "date_of_birth": "1950-01-01", "sex": "male",
                    "phone": "3035550100",
                ])
            _ = try await browser.post(base + "/reason", ["chief_complaint": "Chest", "symptom_chest_pain": "on"])
            let tracked = await oss.analytics.tracked
            #expect(
                Self.names(tracked) == [
                    "Handoff Redeemed", Self.step, Self.step, "Screening Completed", "Emergency Advised",
                    "Phone Page Shown",
                ])
            #expect(tracked[3].property(.outcome) == "emergency" && tracked[5].property(.reason) == "emergency")
            #expect(Set(tracked.compactMap { $0.property(.handoffFingerprint) }).count == 1)
        }
    }

    @Test("answers that need a nurse send Nurse Call Needed, and no window step")
    func nurseTriage() async throws {
        try await Harness.with { oss in
            oss.stationSchedules()
            let (browser, draft) = try await oss.newDraft()
            try await oss.fill(browser, draft: draft, symptoms: ["symptom_confusion"])
            #expect(
                try await browser.post(draft.replacingOccurrences(of: "/patient", with: "/submit")).status == .seeOther)
            let tracked = await oss.analytics.tracked
            #expect(tracked.first { $0.event == "Screening Completed" }?.property(.outcome) == "nurse_triage")
            #expect(
                Self.names(tracked).contains("Nurse Call Needed") && Self.names(tracked).last == "Care Request Created")
            #expect(
                tracked.compactMap { $0.property(.step) } == ["patient", "reason", "location", "details", "review"])
        }
    }

    @Test("a patient's own attempt carries a fingerprint of its draft (never the id), audience direct and no partner")
    func directFlow() async throws {
        try await Harness.with { oss in
            oss.stationSchedules()
            let browser = try await oss.browser(patient: "patient-subject-9")
            _ = try await browser.post("/people/new", ["myself": "on"])
            let draft = try #require(try await browser.post("/drafts").location)
            let id = String(draft.split(separator: "/")[1])
            _ = try await browser.post(
                draft,
                [
                    "given_name": "Pat", "family_name": "Patient", "date_of_birth": "1960-06-06", "sex": "other",
                    "phone": "303-555-0123",
                ])
            let tracked = await oss.analytics.tracked
            #expect(Self.names(tracked) == ["Care Request Started", Self.step])
            let fingerprint = try #require(tracked.first?.property(.draftFingerprint))
            #expect(fingerprint.count == 12 && !id.contains(fingerprint))
            for message in tracked {
                #expect(message.property(.draftFingerprint) == fingerprint)
                #expect(message.property(.audience) == "direct" && message.property(.handoffFingerprint) == nil)
                #expect(message.partnerID == nil && message.userId == "patient-subject-9")
            }
            let text = try Self.json(tracked)
            #expect(!text.contains(id))
        }
    }

    @Test("synthetic monitoring's attempt sends nothing")
    func synthetic() async throws {
        try await Harness.with { oss in
            oss.stationSchedules()
            let (browser, draft) = try await oss.newDraft(synthetic: true)
            try await oss.fill(browser, draft: draft)
            #expect(
                try await browser.post(draft.replacingOccurrences(of: "/patient", with: "/submit")).status == .seeOther)
            #expect(await oss.analytics.messages.isEmpty)
        }
    }

    @Test(
        "a cancellation through a change handoff sends Care Request Cancelled once, with the id, reason and fingerprint"
    )
    func cancelled() async throws {
        try await Harness.with { oss in
            let world = oss.changeWorld()
            let id = world.current.id
            let handle = try #require(try await oss.pushHandoff(intent: .cancel, careRequest: id).1)
            let browser = try await oss.browser(partner: Harness.scheduler)
            let page = try await oss.redeem(browser, handle)
            _ = try await browser.post(page, ["reason": "hospitalized", "note": "Moved to Mercy"])
            _ = try await browser.post(page + "/confirm")
            _ = try await browser.post(page + "/confirm")
            let tracked = await oss.analytics.tracked
            #expect(Self.names(tracked) == ["Handoff Redeemed", "Care Request Cancelled"])
            let cancelled = try #require(tracked.last)
            #expect(cancelled.property(.careRequestID) == id.wire && cancelled.property(.reason) == "hospitalized")
            #expect(cancelled.property(.intent) == "cancel" && cancelled.partnerID == Harness.sunrise.wire)
            #expect(cancelled.property(.handoffFingerprint) == Handoff.fingerprint(of: handle))
            let text = try Self.json(tracked)
            #expect(!text.contains("Mercy"))
        }
    }
}

/// The person behind the events, and the phone pages and changes outside the happy path.
@Suite("Product analytics in OSS: sign-in, phone pages, changes")
struct OSSAnalyticsMoreTests {
    typealias Harness = OSSHarness

    @Test("a patient signing in is identified by their account id with the role patient, and no partner")
    func patientSignIn() async throws {
        try await FakeOpenIDProvider.with(tenant: "patients", clientID: "oss-d2m-web") { provider in
            let signIn = provider.relyingParty(redirectURI: "http://localhost:8081/auth/callback")
            try await Harness.with(directSignIn: signIn) { oss in
                let browser = TestBrowser(app: oss.app)
                let start = try await browser.get("/sign-in")
                let callback = try provider.approve(
                    try #require(start.location), as: .init(subject: "patient-account-7", tenant: "patients"))
                let back = try await browser.get("/auth/callback?\(callback)")
                #expect(back.status == .seeOther, "\(back.text.prefix(300))")
                let messages = await oss.analytics.messages
                #expect(messages.map(\.type) == [.identify])
                #expect(messages.first?.userId == "patient-account-7")
                #expect(messages.first?.traits == ["roles": .string("patient")])
            }
        }
    }

    @Test("an address no market visits shows the phone page, tracked as not_served for the attempt")
    func notServed() async throws {
        try await Harness.with { oss in
            oss.stationSchedules()
            let handle = try #require(try await oss.pushHandoff().1)
            let browser = try await oss.browser(partner: Harness.scheduler)
            let base = try await oss.redeem(browser, handle).replacingOccurrences(of: "/patient", with: "")
            let page = try await browser.post(
                base + "/location", ["line1": "1 Main St", "city": "Nome", "state": "AK", "zip": "99762"])
            #expect(page.status == .unprocessableEntity && page.text.contains("Please call us"))
            let shown = try #require(await oss.analytics.tracked.last)
            #expect(shown.event == "Phone Page Shown" && shown.property(.reason) == "not_served")
            #expect(shown.property(.handoffFingerprint) == Handoff.fingerprint(of: handle))
            #expect(await oss.analytics.tracked.allSatisfy { $0.property(.step) != "location" })
        }
    }

    @Test("a reschedule through a change handoff sends Care Request Rescheduled once, with the id and fingerprint")
    func rescheduled() async throws {
        try await Harness.with { oss in
            let world = oss.changeWorld()
            let id = world.current.id
            let handle = try #require(try await oss.pushHandoff(intent: .reschedule, careRequest: id).1)
            let browser = try await oss.browser(partner: Harness.scheduler)
            let page = try await oss.redeem(browser, handle)
            let offered = oss.windowValues(try await browser.get(page).text)
            _ = try await browser.post(page, ["window": try #require(offered.first)])
            _ = try await browser.post(page + "/confirm")
            _ = try await browser.post(page + "/confirm")
            let tracked = await oss.analytics.tracked
            #expect(tracked.compactMap(\.event) == ["Handoff Redeemed", "Care Request Rescheduled"])
            #expect(tracked.allSatisfy { $0.property(.handoffFingerprint) == Handoff.fingerprint(of: handle) })
            #expect(
                tracked.last?.property(.careRequestID) == id.wire && tracked.last?.property(.intent) == "reschedule")
        }
    }

    @Test("a visit on the way shows the phone page instead of a change, tracked as visit_started")
    func visitStarted() async throws {
        try await Harness.with { oss in
            let world = oss.changeWorld()
            world.set {
                $0.status = .onRoute
                $0.changeable = false
            }
            let (browser, page) = try await oss.changeHandoff(.cancel, world.current.id)
            #expect(try await browser.get(page).status == .conflict)
            let shown = try #require(await oss.analytics.tracked.last)
            #expect(shown.event == "Phone Page Shown" && shown.property(.reason) == "visit_started")
            #expect(shown.property(.careRequestID) == world.current.id.wire && shown.property(.intent) == "cancel")
        }
    }
}
