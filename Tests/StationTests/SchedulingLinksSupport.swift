import Foundation
import StationDomain
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Station

/// How the scheduling-links suites read the published availability: without a token, as an aggregator does.
extension StationHarness {
    static let bulkPath = "/fhir/r4/$bulk-publish"

    /// Sends an anonymous GET.
    func published(_ path: String, headers: [(String, String)] = []) async throws -> TestingHTTPResponse {
        try await send(.GET, path, token: nil, headers: headers)
    }

    /// The resources of an ndjson file, one a line.
    func ndjson(_ path: String) async throws -> [[String: Any]] {
        let response = try await published(path)
        #expect(response.status == .ok, "\(path): \(response.text)")
        #expect(response.headers.first(name: .contentType) == "application/fhir+ndjson")
        return try response.text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    /// Denver's slot file (or another market's), with `query` appended.
    func slots(of market: MarketID = DemoData.denver, query: String = "") async throws -> [[String: Any]] {
        try await ndjson("\(Self.bulkPath)/slots/\(market.wire).ndjson\(query)")
    }
}

/// Reading a published Slot.
enum PublishedSlot {
    static let deepLink = "http://fhir-registry.smarthealthit.org/StructureDefinition/booking-deep-link"
    static let phone = "http://fhir-registry.smarthealthit.org/StructureDefinition/booking-phone"
    static let capacity = "http://fhir-registry.smarthealthit.org/StructureDefinition/slot-capacity"

    static func extensionValue(_ slot: [String: Any], _ url: String) -> Any? {
        let found = (slot["extension"] as? [[String: Any]] ?? []).first { $0["url"] as? String == url }
        return found?["valueUrl"] ?? found?["valueInteger"] ?? found?["valueString"]
    }

    /// The slots (one per service line) of the window starting at `start`.
    static func at(_ start: Date, in slots: [[String: Any]]) -> [[String: Any]] {
        slots.filter { $0["start"] as? String == Fixtures.isoDate(start) }
    }
}
