import Fluent
import Foundation
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Station

@Suite("Administration: partners, service lines and access")
struct AdminPartnerTests {
    @Test("a partner books only in its markets; partners made before book everywhere")
    func limitedToItsMarkets() async throws {
        try await StationHarness.with { station in
            let alpine = try await station.alpine(markets: [Fixtures.denver])
            let phoenix = try await station.book(alpine.patient, of: alpine.partner, zip: "85003", window: nil)
            #expect(phoenix.status == .unprocessableEntity)
            #expect(AdminFixtures.fields(phoenix) == ["visit_address.zip"])
            #expect((phoenix.text).contains("Phoenix"))
            let denver = try await station.book(alpine.patient, of: alpine.partner, zip: "80202", window: nil)
            #expect(denver.status == .created, "\(denver.text)")

            let list = try await station.admin(.GET, "/v1/admin/partners")
            #expect(list.status == .ok)
            let summary = try #require(list.array.first { $0["slug"] as? String == "alpine" })
            #expect(summary["market_ids"] as? [String] == [Fixtures.denver])
            #expect(summary["name"] as? String == "Alpine Assisted Living")
        }
    }

    @Test("a visit moved to a market the partner does not book in is refused, naming the ZIP; nothing moves")
    func rescheduleOutsideItsMarkets() async throws {
        try await StationHarness.with { station in
            let alpine = try await station.alpine(markets: [Fixtures.denver])
            let denver = try await station.freeWindow(of: DemoData.denver)
            let phoenix = try await station.freeWindow(of: DemoData.phoenix)
            let booked = try await station.book(alpine.patient, of: alpine.partner, zip: "80202", window: denver)
            #expect(booked.status == .created, "\(booked.text)")
            let id = try #require(booked.object["id"] as? String)
            let scope = ["partner_id": alpine.partner]
            let moved = try await station.reschedule(id, to: phoenix, zip: "85004", scope: scope)
            #expect(moved.status == .unprocessableEntity, "\(moved.text)")
            #expect(moved.problemFields == ["visit_address.zip"])
            #expect(moved.text.contains("Phoenix market, where this partner does not book"))
            #expect(try await station.booked(denver) == 1)
            #expect(try await station.booked(phoenix, market: DemoData.phoenix) == 0)
            // Within its own market the same partner moves the visit.
            let later = try await station.freeWindow(of: DemoData.denver)
            let within = try await station.reschedule(id, to: later, zip: "80203", scope: scope)
            #expect(within.status == .ok, "\(within.text)")
        }
    }

    @Test("a partner made before markets were limited (all_markets) may book in every market, a new one too")
    func legacyPartnerEverywhere() async throws {
        try await StationHarness.with { station in
            let sunrise = try #require(try await PartnerModel.find(DemoData.sunrise.rawValue, on: station.app.db))
            sunrise.allMarkets = true
            try await sunrise.save(on: station.app.db)
            let boulder = try await station.boulder()
            let list = try await station.admin(.GET, "/v1/admin/partners")
            let summary = try #require(list.array.first { $0["slug"] as? String == "sunrise" })
            #expect((summary["market_ids"] as? [String])?.contains(boulder) == true)
            let patient = try await CreateCareRequestTests.eleanor(station)
            let booked = try await station.book(patient, of: Fixtures.sunrise, zip: "80301", window: nil)
            #expect(booked.status == .created, "\(booked.text)")
        }
    }

    @Test("a slug taken, a bad slug and unknown markets are refused, naming the field")
    func partnerValidation() async throws {
        try await StationHarness.with { station in
            let taken = try await station.admin(
                .POST, "/v1/admin/partners", json: AdminFixtures.partner(slug: "sunrise", markets: [Fixtures.denver]))
            #expect(taken.status == .conflict)
            #expect(taken.isProblem)
            #expect(AdminFixtures.fields(taken) == ["slug"])
            let bad = try await station.admin(
                .POST, "/v1/admin/partners",
                json: AdminFixtures.partner(name: "", slug: "Alpine Living", markets: []))
            #expect(bad.status == .unprocessableEntity)
            #expect(AdminFixtures.fields(bad) == ["name", "slug", "market_ids"])
            let unknown = try await station.admin(
                .POST, "/v1/admin/partners",
                json: AdminFixtures.partner(markets: [Fixtures.denver, UUID().uuidString.lowercased(), "nope"]))
            #expect(unknown.status == .unprocessableEntity)
            #expect(AdminFixtures.fields(unknown) == ["market_ids[2]"])
        }
    }

    @Test("a duplicate the database refuses (a writer that raced past the check) is the same 409, never a 500")
    func racingDuplicates() async throws {
        try await StationHarness.with { station in
            let store = station.store
            await #expect(throws: AdminRefusal.taken(field: "slug", value: "sunrise")) {
                try await store.write { db in
                    try await StationStore.refusingDuplicate(.taken(field: "slug", value: "sunrise")) {
                        try await PartnerModel(
                            id: UUID(), slug: "sunrise", name: "Other", createdAt: Date(), allMarkets: false
                        ).create(on: db)
                    }
                }
            }
            let bodies = [
                ("/v1/admin/partners", AdminFixtures.partner(markets: [Fixtures.denver])),
                ("/v1/admin/service-lines", AdminFixtures.json(["name": "Palliative care", "code": "palliative"])),
            ]
            for (path, body) in bodies {
                let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                    for _ in 0..<6 {
                        group.addTask { try await station.admin(.POST, path, json: body).status }
                    }
                    return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == .created }.count == 1, "\(path): \(statuses)")
                #expect(statuses.filter { $0 == .conflict }.count == 5, "\(path): \(statuses)")
            }
        }
    }

    @Test("service lines: created with a code, listed, a name or code taken is 409")
    func serviceLines() async throws {
        try await StationHarness.with { station in
            let body = AdminFixtures.json(["name": "Palliative care", "code": "palliative_care"])
            let created = try await station.admin(.POST, "/v1/admin/service-lines", json: body)
            #expect(created.status == .created)
            #expect(created.object["code"] as? String == "palliative_care")
            let list = try await station.call(.GET, "/v1/service-lines")
            #expect(list.array.contains { $0["code"] as? String == "palliative_care" })
            #expect(list.array.contains { $0["code"] as? String == "acute_care" })
            let again = try await station.admin(.POST, "/v1/admin/service-lines", json: body)
            #expect(again.status == .conflict)
            let bad = try await station.admin(
                .POST, "/v1/admin/service-lines", json: AdminFixtures.json(["name": "", "code": "9 lives"]))
            #expect(AdminFixtures.fields(bad) == ["name", "code"])
        }
    }

    @Test("administration is refused without station.admin, to partner tokens and to the patients tenant")
    func refused() async throws {
        try await StationHarness.with { station in
            let dispatcher = try await station.adminToken(scopes: ["station.dispatch"])
            let partner = try await station.adminToken(
                scopes: ["station.admin"], partner: Fixtures.sunrise)
            let partnerMachine = try await station.token(["station.admin"], partner: DemoData.sunrise)
            let patients = try await station.token(
                tenant: "patients", subject: "p-1", client: "oss-web", scopes: ["station.admin"], userID: "p-1")
            let requests: [(HTTPMethod, String, String?)] = [
                (.GET, "/v1/admin/partners", nil),
                (.POST, "/v1/admin/partners", AdminFixtures.partner(markets: [Fixtures.denver])),
                (.POST, "/v1/admin/markets", AdminFixtures.market()),
                (.PUT, "/v1/admin/markets/\(Fixtures.denver)", AdminFixtures.market()),
                (.GET, "/v1/admin/markets/\(Fixtures.denver)/closures", nil),
                (.PUT, "/v1/admin/markets/\(Fixtures.denver)/closures/2030-01-01", #"{"reason":"x"}"#),
                (.DELETE, "/v1/admin/markets/\(Fixtures.denver)/closures/2030-01-01", nil),
                (.POST, "/v1/admin/service-lines", #"{"name":"X","code":"x_x"}"#),
            ]
            for token in [dispatcher, partner, partnerMachine, patients] {
                for (method, path, body) in requests {
                    let response = try await station.send(method, path, token: token, json: body)
                    #expect(response.status == .forbidden, "\(method) \(path) answered \(response.status.code)")
                    #expect(response.isProblem)
                }
            }
            let partnerRefusal = try await station.send(.GET, "/v1/admin/partners", token: partnerMachine)
            #expect(partnerRefusal.text.contains("Partner tokens may not use staff operations"))
            #expect(try await AdminChangeModel.query(on: station.app.db).filter(\.$actor != "seed").count() == 0)
        }
    }

    @Test("a staff admin outside a market's reach gets 404 for it, as for an unknown market")
    func marketReach() async throws {
        try await StationHarness.with { station in
            let phoenixOnly = try await station.adminToken(markets: [DemoData.phoenix.wire])
            let response = try await station.send(
                .PUT, "/v1/admin/markets/\(Fixtures.denver)", token: phoenixOnly, json: AdminFixtures.market())
            #expect(response.status == .notFound)
        }
    }

    @Test("every administration change writes one admin_changes row: who, what, which, when")
    func auditRows() async throws {
        try await StationHarness.with { station in
            let market = try await station.boulder()
            let alpine = try await station.alpine(markets: [market])
            let day = try Fixtures.denverDay(plus: 5)
            _ = try await station.admin(.PUT, "/v1/admin/markets/\(market)", json: AdminFixtures.market(capacity: 5))
            _ = try await station.admin(
                .PUT, "/v1/admin/markets/\(market)/closures/\(day)", json: #"{"reason":"Holiday"}"#)
            _ = try await station.admin(.DELETE, "/v1/admin/markets/\(market)/closures/\(day)")
            _ = try await station.admin(.POST, "/v1/admin/service-lines", json: #"{"name":"Hospice","code":"hospice"}"#)
            let rows = try await AdminChangeModel.query(on: station.app.db).filter(\.$actor == "ops-1").all()
            let byAction = Dictionary(grouping: rows, by: \.action)
            #expect(
                rows.map(\.action).sorted() == [
                    "closure.added", "closure.removed", "market.created", "market.updated", "partner.created",
                    "service_line.created",
                ])
            #expect(byAction["partner.created"]?.first?.entityID == alpine.partner)
            #expect(byAction["market.updated"]?.first?.entityID == market)
            #expect(byAction["closure.added"]?.first?.entityID == "\(market)/\(day)")
            #expect(rows.allSatisfy { abs($0.at.timeIntervalSinceNow) < 300 })
            // The seed went through the same operations.
            let seeded = try await AdminChangeModel.query(on: station.app.db).filter(\.$actor == "seed").count()
            #expect(seeded == 8 + DemoData.careTeams.count)
        }
    }
}
