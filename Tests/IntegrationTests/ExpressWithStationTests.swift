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

/// Express reading a real Station over HTTP: a partner's data stays the partner's across both services, and
/// Station's record of a request's creator reaches Express's pages through the contract.
@Suite("Express with a real Station")
struct ExpressWithStationTests {
    typealias Harness = ExpressStationHarness

    @Test("a Mercy admin sees nothing of Sunrise's, by any URL, and gets the phone page")
    func partnerIsolation() async throws {
        try await Harness.with { express in
            let sunriseRequest = try await express.sunriseCareRequest()
            let mercy = try await express.browser("admin@mercy.example")
            let list = try await mercy.get("/care-requests")
            #expect(list.text.contains("Margaret Okafor"))
            #expect(!list.text.contains("Whitfield"))
            let detail = try await mercy.get("/care-requests/\(sunriseRequest)")
            #expect(detail.status == .notFound)
            #expect(try await express.audit("care_request.view").first?.outcome == "not_found")
            let posted = try await mercy.post("/patients", ["q": "Whitfield"])
            let search = try await mercy.get(try #require(posted.location))
            #expect(search.text.contains("No patients match"))
            let phone = try await mercy.get("/care-requests/new")
            #expect(phone.text.contains("Schedule by phone"))
            let start = try await mercy.post("/care-requests/new", [:])
            #expect(start.text.contains("Schedule by phone"))
            #expect(express.others.calls.isEmpty)
        }
    }

    struct Answer {
        var status: HTTPStatus
        var json: [String: Any]
        var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
        var names: [String] { items.compactMap { $0["name"] as? String } }
    }

    func search(_ express: Harness, token: String, _ body: [String: Any]) async throws -> Answer {
        var headers = HTTPHeaders()
        headers.bearerAuthorization = .init(token: token)
        headers.contentType = .json
        let response = try await express.app.testing().sendRequest(
            .POST, "/api/v1/patients/search", headers: headers,
            body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
        return Answer(status: response.status, json: response.object)
    }

    @Test("another partner's patients never appear")
    func partnerScoped() async throws {
        try await Harness.with { express in
            let mercy = try await express.token("admin@mercy.example", partner: DemoPartners.mercyID, role: "admin")
            let sunrise = try await express.token(
                "scheduler@sunrise.example", partner: DemoPartners.sunriseID, role: "scheduler")
            #expect(try await search(express, token: mercy, ["q": "Okafor"]).names == ["Margaret Okafor"])
            let whitfield = try await search(express, token: mercy, ["q": "Whitfield"])
            #expect(whitfield.status == .ok && whitfield.items.isEmpty)

            let sunriseIDs = try await express.service.station.searchPatients(
                partner: PartnerID(DemoPartners.sunriseID), query: "303555",
                cursor: nil, limit: 100
            ).items.map(\.id.wire)
            let mercyPhones = try await search(express, token: mercy, ["q": "303555", "limit": 100])
            #expect(mercyPhones.status == .ok && !mercyPhones.items.isEmpty)
            #expect(Set(mercyPhones.items.compactMap { $0["id"] as? String }).isDisjoint(with: sunriseIDs))
            #expect(!(try await search(express, token: sunrise, ["q": "Okafor"]).names.contains("Margaret Okafor")))
        }
    }

    @Test(
        "the return from OSS records no creator: only OSS's callback (or Station's record) names who created a request")
    func returnClaimsNothing() async throws {
        try await Harness.with { express in
            let id = try await express.sunriseCareRequest()
            let viewer = try await express.browser("viewer@sunrise.example")
            _ = try await viewer.get("/care-requests/returned?outcome=created&care_request_id=\(id)")
            #expect(try await CareRequestUserModel.query(on: express.app.db).count() == 0)
            #expect(try await viewer.get("/care-requests/\(id)").text.contains("<dd>—</dd>"))

            // Station's record of the creator (sent by OSS with the request) shows until the callback arrives.
            let scheduler = try #require(try await express.service.user(email: "scheduler@sunrise.example"))
            let requestID = try #require(UUID(uuidString: id))
            try await express.station.db.sql.raw(
                """
                UPDATE care_requests SET created_by_user_id = \(bind: scheduler.id!.uuidString.lowercased()) WHERE id = \(bind: requestID)
                """
            ).run()
            #expect(
                try await express.browser("scheduler@sunrise.example").get("/care-requests/\(id)").text.contains(
                    "<dd>You</dd>"))
            #expect(try await viewer.get("/care-requests/\(id)").text.contains("<dd>Sam Scheduler</dd>"))
        }
    }
}
