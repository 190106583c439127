import ExpressDomain
import Fluent
import Foundation
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Express

@Suite("Partner onboarding (internal API)")
struct OnboardingTests {
    typealias Harness = ExpressHarness

    static let alpine = "a1b10000-0000-4000-8000-000000000001"
    static let link = "http://localhost:8083/express/set-password?token=one-time"

    static func body(
        partner: String = alpine, slug: String = "alpine", phase1: Bool = true, phase2: Bool = true,
        email: String = "Admin@Alpine.example"
    ) -> String {
        #"{"partner_id":"\#(partner)","name":"Alpine Assisted Living","slug":"\#(slug)","#
            + #""station_care_requests":\#(phase1),"oss_handoff":\#(phase2),"#
            + #""first_admin":{"email":"\#(email)","name":"Alma Admin"}}"#
    }

    static func onboard(_ express: Harness, _ body: String, scopes: [String] = ["express.partners.write"]) async throws
        -> TestingHTTPResponse
    {
        let token = try await express.machine.token(audience: "express", scopes: scopes)
        var headers = HTTPHeaders()
        headers.bearerAuthorization = .init(token: token)
        headers.contentType = .json
        return try await express.app.testing().sendRequest(
            .POST, "/internal/v1/partners", headers: headers, body: ByteBuffer(string: body))
    }

    @Test("onboarding creates the partner, its features and its first admin with a one-time link, audited")
    func created() async throws {
        try await Harness.with(station: .none) { express in
            express.accounts.stub("admin@alpine.example", .created(setPasswordURL: Self.link))
            let response = try await Self.onboard(express, Self.body())
            #expect(response.status == .created, "\(response.text)")
            #expect(response.object["partner_id"] as? String == Self.alpine)
            #expect(response.object["set_password_link"] as? String == Self.link)
            let partner = try #require(PartnerID(wire: Self.alpine))
            #expect(try await express.service.partner(partner)?.slug == "alpine")
            #expect(try await express.service.flags(partner) == [.stationCareRequests, .ossHandoff])
            let admin = try #require(try await express.service.user(email: "admin@alpine.example"))
            #expect(admin.partner == partner && admin.roleValue == .admin && admin.active)
            #expect(response.object["admin_user_id"] as? String == admin.userID.wire)
            #expect(express.accounts.created == ["admin@alpine.example"])
            let audit = try #require(try await express.audit("partners.onboard").first)
            #expect(audit.partnerID == partner.rawValue && audit.outcome == "success")
        }
    }

    @Test("online scheduling without care requests from Station is refused, naming the field, and saves nothing")
    func phaseTwoNeedsPhaseOne() async throws {
        try await Harness.with(station: .none) { express in
            let response = try await Self.onboard(express, Self.body(phase1: false, phase2: true))
            #expect(response.status == .unprocessableEntity)
            #expect(response.headers.contentType?.description.contains("problem+json") == true)
            #expect(response.text.contains("oss_handoff"))
            #expect(try await express.service.partner(PartnerID(wire: Self.alpine)!) == nil)
            #expect(express.accounts.created.isEmpty)
        }
    }

    @Test("the same request again answers 200 with the same ids and no new account or link")
    func idempotent() async throws {
        try await Harness.with(station: .none) { express in
            express.accounts.stub("admin@alpine.example", .created(setPasswordURL: Self.link))
            let first = try await Self.onboard(express, Self.body())
            let again = try await Self.onboard(express, Self.body())
            #expect(first.status == .created)
            #expect(again.status == .ok, "\(again.text)")
            #expect(again.object["partner_id"] as? String == first.object["partner_id"] as? String)
            #expect(again.object["admin_user_id"] as? String == first.object["admin_user_id"] as? String)
            #expect(again.object["set_password_link"] == nil)
            #expect(express.accounts.created == ["admin@alpine.example"])
            #expect(try await express.audit("partners.onboard").count == 1)

            let different = try await Self.onboard(express, Self.body(phase2: false))
            #expect(different.status == .conflict)
            let slugTaken = try await Self.onboard(
                express, Self.body(partner: "a1b10000-0000-4000-8000-000000000002", email: "other@alpine.example"))
            #expect(slugTaken.status == .conflict)
            #expect(slugTaken.text.contains("slug"))
        }
    }

    @Test("an email that already has an Express account is refused before any account is made")
    func emailInUse() async throws {
        try await Harness.with(station: .none) { express in
            let response = try await Self.onboard(express, Self.body(email: "admin@mercy.example"))
            #expect(response.status == .conflict)
            #expect(try await express.service.partner(PartnerID(wire: Self.alpine)!) == nil)
        }
    }

    @Test("a token without express.partners.write is refused")
    func missingScope() async throws {
        try await Harness.with(station: .none) { express in
            let response = try await Self.onboard(express, Self.body(), scopes: ["express.flags.write"])
            #expect(response.status == .forbidden)
            #expect(try await express.service.partner(PartnerID(wire: Self.alpine)!) == nil)
        }
    }

    @Test("onboarding input: trimmed, lowercased and checked field by field")
    func domain() throws {
        let partner = PartnerID.random()
        let ok = try PartnerOnboarding(
            partner: partner, name: " Alpine ", slug: "alpine-2", flags: [.stationCareRequests],
            adminEmail: " A@Alpine.Example ", adminName: "Alma")
        #expect(ok.name == "Alpine" && ok.adminEmail == "a@alpine.example")
        #expect(throws: PartnerOnboarding.Invalid.self) {
            try PartnerOnboarding(
                partner: partner, name: "", slug: "Alpine!", flags: [.ossHandoff], adminEmail: "nobody",
                adminName: " ")
        }
        do {
            _ = try PartnerOnboarding(
                partner: partner, name: "", slug: "Alpine!", flags: [.ossHandoff], adminEmail: "nobody",
                adminName: " ")
        } catch {
            #expect(
                error.errors.map(\.field) == ["name", "slug", "oss_handoff", "first_admin.email", "first_admin.name"])
        }
    }
}
