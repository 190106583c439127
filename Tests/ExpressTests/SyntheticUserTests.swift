import Foundation
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Express

@Suite("The synthetic-monitoring user")
struct SyntheticUserTests {
    typealias Harness = ExpressHarness

    /// What the smoke check does in Express: list, search, start a request, come back.
    func journey(_ browser: TestBrowser) async throws {
        #expect(try await browser.get("/care-requests").status == .ok)
        #expect(try await browser.searchPatients("whitfield").status == .ok)
        #expect(try await browser.post("/care-requests/new", ["patient_id": UUID().uuidString]).status == .seeOther)
        #expect(try await browser.get("/care-requests/returned?outcome=created").status == .seeOther)
    }

    @Test("only the monitor user's handoff is pushed as synthetic")
    func pushedSynthetic() async throws {
        try await Harness.with(station: .none) { express in
            express.handoffs.stub(.accept)
            let monitor = try #require(try await express.service.user(email: "monitor@sunrise.example"))
            #expect(monitor.synthetic && monitor.roleValue == .scheduler)
            #expect(try #require(try await express.service.user(email: "scheduler@sunrise.example")).synthetic == false)
            _ = try await express.browser("monitor@sunrise.example").post(
                "/care-requests/new", ["patient_id": UUID().uuidString])
            _ = try await express.browser("scheduler@sunrise.example").post(
                "/care-requests/new", ["patient_id": UUID().uuidString])
            let pushed = express.handoffs.pushed
            #expect(pushed.map(\.user) == [UserID(monitor.id!), pushed.last!.user])
            #expect(pushed.map(\.synthetic) == [true, false])
        }
    }

    @Test("the monitor user's visits are not analytics; a scheduler's are")
    func noAnalytics() async throws {
        try await Harness.with { express in
            express.handoffs.stub(.accept)
            try await journey(try await express.browser("monitor@sunrise.example"))
            #expect(await express.analytics.messages.isEmpty)
            try await journey(try await express.browser("scheduler@sunrise.example"))
            #expect(
                await express.analytics.events
                    == ["Care Requests Listed", "Patients Searched", "Care Request Started", "Handoff Returned"])
        }
    }

    @Test("an operator marks a user synthetic from the command line (audited); an unknown email is refused")
    func operatorMarks() async throws {
        try await Harness.with(station: .none) { express in
            let said = try await ExpressApp.setSynthetic(express.app, email: "viewer@sunrise.example", synthetic: true)
            #expect(said.contains("now a synthetic-monitoring user"))
            #expect(try #require(try await express.service.user(email: "viewer@sunrise.example")).synthetic)
            #expect(try await express.audit("users.synthetic").first?.detail == "synthetic=true")
            await #expect(throws: ConfigurationError.self) {
                try await ExpressApp.setSynthetic(express.app, email: "nobody@sunrise.example", synthetic: true)
            }
        }
    }
}
