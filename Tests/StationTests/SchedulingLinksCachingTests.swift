import Foundation
import StationDomain
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Station

@Suite("SMART Scheduling Links: caching, _since, refusals and privacy")
struct SchedulingLinksCachingTests {
    @Test("If-None-Match or If-Modified-Since of the current copy is answered 304 without a body; a change is not")
    func notModified() async throws {
        // A fixed clock: the real one could carry a window of the published days into the past between two reads.
        let start = Date()
        try await StationHarness.with(now: { start }) { station in
            let slotsPath = "\(StationHarness.bulkPath)/slots/\(Fixtures.denver).ndjson"
            for path in [StationHarness.bulkPath, slotsPath] {
                let first = try await station.published(path)
                let etag = try #require(first.headers.first(name: .eTag))
                let modified = try #require(first.headers.first(name: .lastModified))
                let again = try await station.published(path, headers: [("If-None-Match", etag)])
                #expect(again.status == .notModified, "\(path)")
                #expect(again.body.readableBytes == 0)
                #expect(again.headers.first(name: .eTag) == etag)
                let since = try await station.published(path, headers: [("If-Modified-Since", modified)])
                #expect(since.status == .notModified, "\(path)")
                let other = try await station.published(path, headers: [("If-None-Match", "\"stale\"")])
                #expect(other.status == .ok && other.text == first.text)
            }

            let etag = try #require(try await station.published(slotsPath).headers.first(name: .eTag))
            _ = try await station.bookedRequest(in: try await station.freeWindow(of: DemoData.denver))
            let changed = try await station.published(slotsPath, headers: [("If-None-Match", etag)])
            #expect(changed.status == .ok)
            #expect(changed.headers.first(name: .eTag) != etag)
        }
    }

    @Test("_since publishes only what changed after it, and the manifest carries it into every file's URL")
    func since() async throws {
        try await StationHarness.with { station in
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let since = formatter.string(from: Date())
            let window = try await station.freeWindow(of: DemoData.denver)
            _ = try await station.bookedRequest(in: window)

            let all = try await station.slots()
            let changed = try await station.slots(query: "?_since=\(since)")
            let lines = try await station.store.serviceLines().count
            #expect(all.count > changed.count)
            #expect(changed.count == lines)
            #expect(changed.allSatisfy { $0["start"] as? String == Fixtures.isoDate(window.0) })
            #expect(try await station.slots(of: DemoData.phoenix, query: "?_since=\(since)").isEmpty)
            #expect(try await station.ndjson("\(StationHarness.bulkPath)/locations.ndjson?_since=\(since)").isEmpty)

            let manifest = try await station.published("\(StationHarness.bulkPath)?_since=\(since)").object
            let encoded = try #require(
                since.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-", ".", "_", "~"])))
            #expect(manifest["request"] as? String == "http://localhost:8082/fhir/r4/$bulk-publish?_since=\(encoded)")
            let urls = (manifest["output"] as? [[String: Any]] ?? []).compactMap { $0["url"] as? String }
            #expect(!urls.isEmpty && urls.allSatisfy { $0.hasSuffix("?_since=\(encoded)") })
        }
    }

    @Test("a _since that is not an instant is refused 400 with an OperationOutcome; an unknown slot file is 404")
    func refusals() async throws {
        try await StationHarness.with { station in
            for path in [
                "\(StationHarness.bulkPath)?_since=yesterday",
                "\(StationHarness.bulkPath)/slots/\(Fixtures.denver).ndjson?_since=2026-11-30",
            ] {
                let response = try await station.published(path)
                #expect(response.status == .badRequest, "\(path)")
                #expect(response.headers.first(name: .contentType) == "application/fhir+json; charset=utf-8")
                #expect(response.object["resourceType"] as? String == "OperationOutcome")
                let issue = (response.object["issue"] as? [[String: Any]])?.first
                #expect(issue?["code"] as? String == "invalid" && issue?["severity"] as? String == "error")
            }
            let unknown = try await station.published(
                "\(StationHarness.bulkPath)/slots/\(MarketID.random().wire).ndjson")
            #expect(unknown.status == .notFound)
            #expect(unknown.object["resourceType"] as? String == "OperationOutcome")
        }
    }

    @Test("nothing published names a patient, a requester, a complaint, an address or a care request")
    func noPHI() async throws {
        try await StationHarness.with { station in
            let request = try await station.bookedRequest(in: try await station.freeWindow(of: DemoData.denver))
            var published = try await station.published(StationHarness.bulkPath).text
            for output in try await station.published(StationHarness.bulkPath).object["output"] as? [[String: Any]]
                ?? []
            {
                let url = try #require(output["url"] as? String)
                published += try await station.published(String(url.dropFirst("http://localhost:8082".count))).text
            }
            #expect(published.contains("\"Slot\""))
            for phi in ["Whitfield", "Eleanor", "Fever", "303-555-0199", "Larimer", "Pat Scheduler", request] {
                #expect(!published.contains(phi), "\(phi)")
            }
        }
    }
}
