import Foundation
import StationDomain
import TestSupport
import Testing
import Vapor
import Vocabulary

@testable import Station

@Suite("FHIR Location: markets, read and searched by any partner")
struct FHIRLocationTests {
    static func context(_ station: StationHarness, partner: PartnerID = DemoData.mercy) -> FHIRContext {
        FHIRContext(
            partner: partner, clientID: "ehr-test", store: station.store, baseURL: "http://localhost:8082/fhir/r4",
            now: Date())
    }

    static func search(
        _ station: StationHarness, _ parameters: [(String, String)], count: Int = 50, cursor: String? = nil
    )
        async throws -> FHIRSearchPage
    {
        try await LocationProvider().search(
            FHIRSearch(
                parameters: parameters.map { (name: $0.0, value: $0.1) }, count: count, cursor: cursor, onlyCount: false
            ),
            in: context(station))
    }

    static func ids(_ page: FHIRSearchPage) -> [String] { page.resources.map(\.id) }

    @Test("a market reads as a Location with its phone, booking site, state and the ZIP codes it serves")
    func read() async throws {
        try await StationHarness.with { station in
            let provider = LocationProvider(supportPhone: "(303) 555-0100", bookingURL: "https://book.example")
            let found = try await provider.read(Fixtures.denver, in: Self.context(station))
            let location = try #require(found as? LocationResource)
            #expect(location.name == "Denver" && location.status == "active")
            #expect(location.address?.state == "CO" && location.address?.city == "Denver")
            #expect(location.telecom?.map(\.value) == ["(303) 555-0100", "https://book.example"])
            #expect(location.extension?.contains { $0.valueString == "80202" } == true)
            #expect(location.meta?.lastUpdated != nil)
            let unknown = try await provider.read(MarketID.random().wire, in: Self.context(station))
            let malformed = try await provider.read("not-an-id", in: Self.context(station))
            #expect(unknown == nil && malformed == nil)
        }
    }

    @Test("the bulk file and the FHIR API publish the same Location")
    func shared() async throws {
        try await StationHarness.with { station in
            let bulk = try await station.ndjson("\(StationHarness.bulkPath)/locations.ndjson")
            let published = try #require(bulk.first { $0["id"] as? String == Fixtures.denver })
            let provider = LocationProvider(
                supportPhone: StationConfig.defaultSupportPhone, bookingURL: "http://localhost:8081")
            let read = try #require(try await provider.read(Fixtures.denver, in: Self.context(station)))
            let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(read)) as? [String: Any]
            #expect(NSDictionary(dictionary: json ?? [:]) == NSDictionary(dictionary: published))
        }
    }

    @Test("search by name prefix, served ZIP code, state and id; every partner sees every market")
    func search() async throws {
        try await StationHarness.with { station in
            func ids(_ parameters: [(String, String)]) async throws -> [String] {
                Self.ids(try await Self.search(station, parameters))
            }
            let all = try await Self.search(station, [])
            #expect(all.resources.count == 3 && all.total == 3)
            let byName = try await ids([("name", "den")])
            let byZip = try await ids([("address-postalcode", "80202")])
            let byState = try await ids([("address-state", "co")])
            let byID = try await ids([("_id", "\(Fixtures.denver),\(DemoData.phoenix.wire)")])
            let both = try await ids([("name", "den"), ("address-state", "AZ")])
            let none = try await ids([("address-postalcode", "99999")])
            #expect(byName == [Fixtures.denver] && byZip == [Fixtures.denver] && byState == [Fixtures.denver])
            #expect(byID.count == 2)
            #expect(both.isEmpty && none.isEmpty)
        }
    }

    @Test("a page ends with a next token that continues where it stopped")
    func paging() async throws {
        try await StationHarness.with { station in
            let first = try await Self.search(station, [], count: 2)
            #expect(first.resources.count == 2)
            let next = try #require(first.next)
            let second = try await Self.search(station, [], count: 2, cursor: next)
            #expect(second.resources.count == 1 && second.next == nil)
            #expect(Set(Self.ids(first) + Self.ids(second)).count == 3)
            await #expect(throws: FHIRError.self) { try await Self.search(station, [], cursor: "x") }
        }
    }
}
