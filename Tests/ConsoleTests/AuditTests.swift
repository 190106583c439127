import ConsoleDomain
import Fluent
import Foundation
import SQLKit
import TestSupport
import Testing
import Vapor
import Vocabulary

@testable import Console
@testable import Platform

/// The audit helper every PHI page uses: the event (who, which requests, the Policy decision id) is stored before
/// the page is rendered, and no page is served when it cannot be.
@Suite("Console audit")
struct AuditTests {
    /// A page shaped like every PHI page: Policy, then the audit event, then the data.
    static func addPHIPage(_ console: ConsoleHarness, careRequest: CareRequestID) {
        let routes = console.app.grouped(WebSessionMiddleware(cookieName: "console_session", secure: false))
            .grouped(RequireSignIn(now: { Date() })).grouped(PageErrors())
        routes.get("test-phi") { req async throws -> String in
            let decision = try await req.authorize(.read, .careRequest(careRequest), auditAction: "test.viewed")
            try await req.audit(AuditEntry("test.viewed", careRequests: [careRequest], decisionID: decision.id))
            return "Patient Jane Example"
        }
    }

    @Test("the audit event names the staff member, the request and Policy's decision, and comes first")
    func recordedBeforeServing() async throws {
        try await ConsoleHarness.with(station: .stub(StubTransport("Station"))) { console in
            let id = CareRequestID.random()
            Self.addPHIPage(console, careRequest: id)
            let page = try await console.signIn(as: .nurse).get("/test-phi")
            #expect(page.status == .ok)
            let event = try #require(try await console.audit("test.viewed").first)
            #expect(event.staffSubject == StaffMember.nurse.id)
            #expect(event.staffEmail == "nurse@example.com")
            #expect(event.careRequestIDs == id.wire)
            #expect(event.decisionID == "dec_test_1")
            #expect(event.outcome == "success")
            #expect(console.policy.asked.first?.resource == .careRequest(id))
        }
    }

    @Test("if the audit write fails, the page is not served")
    func auditFailureRefusesPage() async throws {
        try await ConsoleHarness.with(station: .stub(StubTransport("Station"))) { console in
            Self.addPHIPage(console, careRequest: .random())
            let browser = try await console.signIn(as: .nurse)
            try await console.app.db.sql.raw("DROP TABLE audit_events").run()
            let page = try await browser.get("/test-phi")
            #expect(page.status == .internalServerError)
            #expect(!page.text.contains("Jane Example"))
        }
    }

    @Test("Policy's refusal is audited as denied with its decision id and answers 403")
    func policyRefusal() async throws {
        try await ConsoleHarness.with(station: .stub(StubTransport("Station"))) { console in
            Self.addPHIPage(console, careRequest: .random())
            console.policy.deny(kind: "care_request")
            let page = try await console.signIn(as: .nurse).get("/test-phi")
            #expect(page.status == .forbidden)
            #expect(!page.text.contains("Jane Example"))
            let event = try #require(try await console.audit("test.viewed").first)
            #expect(event.outcome == "denied")
            #expect(event.decisionID == "dec_test_1")
        }
    }
}
