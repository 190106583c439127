import Foundation
import StationDomain
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Station

@Suite("FHIR Location over /fhir/r4: any partner's backend client reads and searches every market")
struct FHIRLocationHTTPTests {
    @Test("Location/<market> reads with a Location-scoped token of any partner; an unknown market is 404")
    func read() async throws {
        try await FHIRClient.with { client in
            for partner in [DemoData.mercy, DemoData.sunrise] {
                let token = try await client.token(partner: partner, scopes: ["system/Location.read"])
                let response = try await client.get("Location/\(Fixtures.denver)", token: token)
                #expect(response.status == .ok, "\(response.text)")
                let json = try FHIRClient.json(response)
                #expect(json["resourceType"] as? String == "Location" && json["name"] as? String == "Denver")
                #expect((json["address"] as? [String: Any])?["state"] as? String == "CO")
                let booking = (json["telecom"] as? [[String: Any]] ?? []).first { $0["system"] as? String == "url" }
                #expect(booking?["value"] as? String == "http://localhost:8081")
            }
            let missing = try await client.get("Location/\(MarketID.random().wire)")
            #expect(missing.status == .notFound)
            #expect(try FHIRClient.issueCode(missing) == "not-found")
        }
    }

    @Test("search by served ZIP code and state answers a Bundle of the matching markets")
    func search() async throws {
        try await FHIRClient.with { client in
            let byZip = try FHIRClient.page(try await client.get("Location?address-postalcode=85004"))
            #expect(byZip.ids == [DemoData.phoenix.wire] && byZip.next == nil)
            let byState = try FHIRClient.page(try await client.get("Location?address-state=NV"))
            #expect(byState.ids == [DemoData.lasVegas.wire])
            let all = try FHIRClient.page(try await client.get("Location?_count=2"))
            #expect(all.ids.count == 2 && all.next != nil)
            let bad = try await client.get("Location?near=1")
            #expect(bad.status == .badRequest)
        }
    }

    @Test("$bulk-publish is SMART Scheduling Links', not a resource type, and needs no token")
    func bulkPathWins() async throws {
        try await FHIRClient.with { client in
            let manifest = try await client.station.published("/fhir/r4/$bulk-publish")
            #expect(manifest.status == .ok)
            #expect(manifest.object["output"] != nil)
        }
    }
}
