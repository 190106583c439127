import ConsoleDomain
import Foundation
import TestSupport
import Testing
import Vapor
import Vocabulary

@testable import Console

/// Each role sees its own pages: the start page and the navigation follow the roles, another role's page is 403.
@Suite("Console roles")
struct RoleGateTests {
    @Test("the start page is the first page the roles allow; no role gets a clear 403")
    func startPageByRole() async throws {
        try await ConsoleHarness.with(station: .stub(StubTransport("Station"))) { console in
            #expect(try await console.signIn(as: .nurse).get("/").location == "/triage")
            #expect(try await console.signIn(as: .dispatcher).get("/").location == "/board")
            #expect(try await console.signIn(as: .ops).get("/").location == "/admin/partners")
            let nobody = StaffMember(
                id: "staff-new", email: "new@example.com", name: "New Person", roles: [], markets: .all)
            let page = try await console.signIn(as: nobody).get("/")
            #expect(page.status == .forbidden)
            #expect(page.text.contains("No Console role"))
        }
    }

    @Test("another role's page answers 403 with a page that says whose it is")
    func otherRolesPageIsForbidden() async throws {
        try await ConsoleHarness.with(station: .stub(StubTransport("Station"))) { console in
            let nurse = try await console.signIn(as: .nurse)
            let board = try await nurse.get("/board")
            #expect(board.status == .forbidden)
            #expect(board.text.contains("dispatcher role"))
            #expect(try await nurse.get("/admin/partners").status == .forbidden)
            let dispatcher = try await console.signIn(as: .dispatcher)
            #expect(try await dispatcher.get("/triage").status == .forbidden)
            #expect(try await dispatcher.get("/admin/partners").status == .forbidden)
        }
    }

    @Test("navigation shows only what the roles allow; a person with two roles sees both")
    func navigationByRole() async throws {
        try await ConsoleHarness.with(station: .stub(StubTransport("Station"))) { console in
            let nurse = try await console.signIn(as: .nurse).get("/help").text
            #expect(nurse.contains(#"href="/triage""#))
            #expect(!nurse.contains(#"href="/board""#))
            #expect(!nurse.contains(#"href="/admin/partners""#))
            var both = StaffMember.dispatcher
            both.roles = [.dispatcher, .operationsAdmin]
            let page = try await console.signIn(as: both).get("/help").text
            #expect(page.contains(#"href="/board""#))
            #expect(page.contains(#"href="/admin/partners""#))
            #expect(!page.contains(#"href="/triage""#))
        }
    }

    @Test("pages carry the security headers and the design system's stylesheet")
    func securityHeadersAndStylesheet() async throws {
        try await ConsoleHarness.with(station: .stub(StubTransport("Station"))) { console in
            let help = try await console.signIn(as: .nurse).get("/help")
            #expect(help.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
            #expect(help.headers.first(name: "X-Content-Type-Options") == "nosniff")
            #expect(help.text.contains(#"<link rel="stylesheet" href="/design.css">"#))
            let css = try await console.app.testing().sendRequest(.GET, "/design.css")
            #expect(css.status == .ok)
            #expect(try await console.app.testing().sendRequest(.GET, "/healthz").status == .ok)
        }
    }

    @Test("a form without the session's CSRF token is refused")
    func csrfRequired() async throws {
        try await ConsoleHarness.with(station: .stub(StubTransport("Station"))) { console in
            let browser = try await console.signIn(as: .nurse)
            #expect(try await browser.post("/sign-out", defaults: false).status == .forbidden)
            #expect(try await browser.get("/help").status == .ok)
        }
    }
}
