import ExpressDomain
import Foundation
import Platform
import TestSupport
import Testing
import Vapor
import Vocabulary

@testable import Express

/// Express's product analytics through Platform's tracker: the events of issue 19, ids and known values only.
@Suite("Express analytics")
struct ExpressAnalyticsTests {
    typealias Harness = ExpressHarness

    let sunrise = PartnerID(DemoPartners.sunriseID)
    let mercy = PartnerID(DemoPartners.mercyID)

    @Test("a scheduler's new request is Care Request Started with its handoff's fingerprint; the return joins it")
    func startedWithFingerprint() async throws {
        try await Harness.with(station: .none) { express in
            express.handoffs.stub(.accept)
            let scheduler = try await express.browser("scheduler@sunrise.example")
            let user = try #require(try await express.service.user(email: "scheduler@sunrise.example"))
            _ = try await scheduler.post("/care-requests/new", ["patient_id": UUID().uuidString])
            let fingerprint = Secrets.handoffFingerprint(try #require(express.handoffs.handles.first))
            #expect(try await express.audit("care_request.start").first?.detail == "handoff \(fingerprint)")

            let started = try #require(await express.analytics.tracked.first)
            #expect(started.event == "Care Request Started")
            #expect(started.userId == user.userID.wire && started.anonymousId == nil)
            #expect(started.context.app.name == "express")
            #expect(
                started.properties == [
                    "handoff_fingerprint": .string(fingerprint), "audience": .string("partner"),
                    "with_patient": .bool(true), "partner_id": .string(sunrise.wire),
                ])

            _ = try await scheduler.get("/care-requests/returned?outcome=created")
            _ = try await scheduler.get("/care-requests/returned?outcome=created")
            let returned = await express.analytics.tracked.filter { $0.event == "Handoff Returned" }
            #expect(returned.map { $0.property(.handoffFingerprint) } == [fingerprint, nil])
            #expect(returned.allSatisfy { $0.property(.outcome) == "created" && $0.partnerID == sunrise.wire })
        }
    }

    @Test("changing a request is Care Request Change Started with the intent and the handoff's fingerprint")
    func changeStarted() async throws {
        try await Harness.with { express in
            express.handoffs.stub(.accept)
            let id = try express.sunrise(.requested, changeable: true)
            _ = try await express.browser("scheduler@sunrise.example").post("/care-requests/\(id.wire)/cancel")
            let fingerprint = Secrets.handoffFingerprint(try #require(express.handoffs.handles.first))
            let change = try #require(await express.analytics.tracked.first)
            #expect(change.event == "Care Request Change Started")
            #expect(
                change.properties == [
                    "handoff_fingerprint": .string(fingerprint), "audience": .string("partner"),
                    "intent": .string("cancel"), "partner_id": .string(sunrise.wire),
                ])
        }
    }

    @Test("where online scheduling is off, the user's call-us pages are Phone Page Shown with the reason")
    func phonePage() async throws {
        try await Harness.with(station: .none) { express in
            let admin = try await express.browser("admin@mercy.example")
            #expect(try await admin.get("/care-requests/new").text.contains("(303) 555-0100"))
            let change = try await admin.post("/care-requests/\(CareRequestID.random().wire)/reschedule")
            #expect(change.status == .forbidden)
            let shown = await express.analytics.tracked
            #expect(shown.map(\.event) == ["Phone Page Shown", "Phone Page Shown"])
            #expect(shown.map { $0.property(.reason) } == ["online_scheduling_off", "online_scheduling_off"])
            #expect(shown.map { $0.property(.intent) } == ["new", "reschedule"])
            #expect(shown.allSatisfy { $0.partnerID == mercy.wire })
        }
    }

    @Test("a change closed to online scheduling, and OSS out of reach, are phone pages too")
    func otherPhonePages() async throws {
        try await Harness.with { express in
            let started = try express.sunrise(.onRoute, changeable: false)
            let scheduler = try await express.browser("scheduler@sunrise.example")
            #expect(try await scheduler.post("/care-requests/\(started.wire)/reschedule").status == .conflict)
            express.handoffs.stub(.unavailable)
            #expect(try await scheduler.post("/care-requests/new").status == .serviceUnavailable)
            let reasons = await express.analytics.tracked.filter { $0.event == "Phone Page Shown" }.map {
                $0.property(.reason)
            }
            #expect(reasons == ["visit_started", "online_scheduling_unavailable"])
        }
    }

    @Test("sign-in sends identify (role, partner) and group (partner) and nothing else; a synthetic user's nothing")
    func identifyAtSignIn() async throws {
        try await FakeOpenIDProvider.with(tenant: "express", clientID: "express-web") { provider in
            let relyingParty = provider.relyingParty(redirectURI: "http://localhost:8080/auth/callback")
            try await Harness.with(station: .none, relyingParty: relyingParty) { express in
                let monitor = try #require(try await express.service.user(email: "monitor@sunrise.example"))
                #expect(try await signIn(express, provider, monitor) == "/care-requests")
                #expect(await express.analytics.messages.isEmpty)

                let scheduler = try #require(try await express.service.user(email: "scheduler@sunrise.example"))
                #expect(try await signIn(express, provider, scheduler) == "/care-requests")
                let messages = await express.analytics.messages
                #expect(messages.map(\.type) == [.identify, .group])
                #expect(messages.allSatisfy { $0.userId == scheduler.userID.wire && $0.anonymousId == nil })
                #expect(messages.allSatisfy { $0.event == nil && $0.properties == nil })
                #expect(
                    messages.first?.traits == ["roles": .string("scheduler"), "partner_id": .string(sunrise.wire)])
                #expect(messages.last?.groupId == sunrise.wire)
                #expect(messages.last?.traits == ["partner_id": .string(sunrise.wire)])
            }
        }
    }

    @Test("no event carries the text searched for: patients by name, and the care request list by patient name")
    func noSearchText() async throws {
        try await Harness.with { express in
            let scheduler = try await express.browser("scheduler@sunrise.example")
            let results = try await scheduler.searchPatients("Eleanor Whitfield")
            #expect(results.text.contains("Eleanor Whitfield"))
            let searched = try await scheduler.post("/care-requests/name-search", ["name": "Whitfield"])
            let list = try await scheduler.get(try #require(searched.location))
            #expect(list.text.contains("Eleanor Whitfield"))

            let tracked = await express.analytics.tracked
            #expect(tracked.map(\.event) == ["Patients Searched", "Care Requests Listed"])
            #expect(tracked.first?.properties?["results"] == .int(1))
            #expect(tracked.last?.properties?["filtered"] == .bool(true))
            let sent = String(
                decoding: try AnalyticsMessage.makeEncoder().encode(await express.analytics.messages), as: UTF8.self)
            for text in ["eleanor", "whitfield"] { #expect(!sent.lowercased().contains(text), "\(text)") }
        }
    }

    /// Signs `user` in through the provider, as the browser would; where Express sends the browser after.
    private func signIn(_ express: Harness, _ provider: FakeOpenIDProvider, _ user: UserModel) async throws
        -> String?
    {
        let browser = TestBrowser(app: express.app)
        let start = try await browser.get("/sign-in")
        let callback = try provider.approve(
            try #require(start.location),
            as: .init(
                subject: user.userID.wire, tenant: "express", userID: user.userID.wire, partnerID: user.partner.wire,
                roles: [user.role]))
        let back = try await browser.get("/auth/callback?\(callback)")
        #expect(back.status == .seeOther, "\(back.text)")
        return back.location
    }
}
