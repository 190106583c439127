import Foundation
import StationDomain
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Station

@Suite("SMART Scheduling Links: the published availability")
struct SchedulingLinksTests {
    @Test("the manifest lists one Location file, one Schedule file and a Slot file per market, with no token")
    func manifest() async throws {
        try await StationHarness.with { station in
            let response = try await station.published(StationHarness.bulkPath)
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.headers.first(name: .contentType)?.hasPrefix("application/json") == true)
            #expect(response.headers.first(name: .cacheControl) == "public, max-age=60")
            #expect(response.headers.first(name: .eTag)?.hasPrefix("\"") == true)
            #expect(response.headers.first(name: .lastModified) != nil)
            let manifest = response.object
            #expect(manifest["request"] as? String == "http://localhost:8082/fhir/r4/$bulk-publish")
            #expect(BulkSince(text: manifest["transactionTime"] as? String ?? "") != nil)
            #expect((manifest["error"] as? [Any])?.isEmpty == true)
            let output = try #require(manifest["output"] as? [[String: Any]])
            #expect(output.filter { $0["type"] as? String == "Location" }.count == 1)
            #expect(output.filter { $0["type"] as? String == "Schedule" }.count == 1)
            let slotFiles = output.filter { $0["type"] as? String == "Slot" }
            let markets = try await station.store.markets()
            #expect(slotFiles.count == markets.count)
            for market in markets {
                let id = try #require(market.id).uuidString.lowercased()
                let file = slotFiles.first {
                    $0["url"] as? String == "http://localhost:8082/fhir/r4/$bulk-publish/slots/\(id).ndjson"
                }
                #expect((file?["extension"] as? [String: Any])?["state"] as? [String] == [market.state], "\(id)")
            }
        }
    }

    @Test("Locations, Schedules and Slots reference one another; free slots carry the deep link, phone and places")
    func files() async throws {
        try await StationHarness.with { station in
            let locations = try await station.ndjson("\(StationHarness.bulkPath)/locations.ndjson")
            let schedules = try await station.ndjson("\(StationHarness.bulkPath)/schedules.ndjson")
            let lines = try await station.store.serviceLines().count
            #expect(locations.count == 3 && schedules.count == 3 * lines)
            let denver = try #require(locations.first { $0["id"] as? String == Fixtures.denver })
            #expect(denver["name"] as? String == "Denver")
            #expect((denver["telecom"] as? [[String: Any]])?.first?["value"] as? String == "(303) 555-0100")
            let served = (denver["extension"] as? [[String: Any]] ?? []).compactMap { $0["valueString"] as? String }
            #expect(served.contains("80202"))
            let locationIDs = Set(locations.compactMap { $0["id"] as? String })
            let scheduleIDs = Set(schedules.compactMap { $0["id"] as? String })
            #expect(scheduleIDs.allSatisfy { !$0.contains("_") })
            for schedule in schedules {
                let actor = (schedule["actor"] as? [[String: Any]])?.first?["reference"] as? String ?? ""
                #expect(locationIDs.contains(String(actor.dropFirst("Location/".count))))
            }

            let slots = try await station.slots()
            #expect(!slots.isEmpty && slots.count % lines == 0)
            for slot in slots {
                let schedule = (slot["schedule"] as? [String: Any])?["reference"] as? String ?? ""
                #expect(scheduleIDs.contains(String(schedule.dropFirst("Schedule/".count))))
                #expect(schedule.hasPrefix("Schedule/\(Fixtures.denver)."))
                #expect((slot["meta"] as? [String: Any])?["lastUpdated"] != nil)
            }
            let free = try #require(slots.first { $0["status"] as? String == "free" })
            let link = try #require(PublishedSlot.extensionValue(free, PublishedSlot.deepLink) as? String)
            let reference = try #require(
                SlotReference(wire: String(link.dropFirst("http://localhost:8081/book?slot=".count))))
            #expect(link.hasPrefix("http://localhost:8081/book?slot="))
            #expect(
                reference.market == DemoData.denver && Fixtures.isoDate(reference.start) == free["start"] as? String)
            #expect((free["id"] as? String)?.hasPrefix("\(reference.wire).") == true)
            #expect(PublishedSlot.extensionValue(free, PublishedSlot.phone) as? String == "(303) 555-0100")
            #expect((PublishedSlot.extensionValue(free, PublishedSlot.capacity) as? Int ?? 0) > 0)
        }
    }

    @Test("a booking takes a place from its window's slots; a full window is busy without a deep link")
    func booking() async throws {
        try await StationHarness.with { station in
            let window = try await station.freeWindow(of: DemoData.denver)
            let before = PublishedSlot.at(window.0, in: try await station.slots())
            let places = try #require(
                before.first.flatMap { PublishedSlot.extensionValue($0, PublishedSlot.capacity) as? Int })
            _ = try await station.bookedRequest(in: window)

            let after = PublishedSlot.at(window.0, in: try await station.slots())
            #expect(after.count == before.count)
            #expect(after.allSatisfy { PublishedSlot.extensionValue($0, PublishedSlot.capacity) as? Int == places - 1 })

            let market = try #require(try await station.store.market(DemoData.denver))
            _ = try await station.store.setCapacity(
                try WindowCapacity(windowStart: window.0, capacity: 1, schedule: market.schedule), of: market)
            let full = PublishedSlot.at(window.0, in: try await station.slots())
            #expect(!full.isEmpty)
            for slot in full {
                #expect(slot["status"] as? String == "busy")
                #expect(PublishedSlot.extensionValue(slot, PublishedSlot.capacity) as? Int == 0)
                #expect(PublishedSlot.extensionValue(slot, PublishedSlot.deepLink) == nil)
                #expect(PublishedSlot.extensionValue(slot, PublishedSlot.phone) as? String == "(303) 555-0100")
            }
        }
    }

    @Test("a day the market is closed is published busy")
    func closedDay() async throws {
        try await StationHarness.with { station in
            let day = try Fixtures.denverDay(plus: 12)
            let closed = try await station.admin(
                .PUT, "/v1/admin/markets/\(Fixtures.denver)/closures/\(day)", json: #"{"reason":"Snow"}"#)
            #expect(closed.status.code < 300, "\(closed.text)")
            let zone = try #require(TimeZone(identifier: "America/Denver"))
            let slots = try await station.slots()
            let onDay = slots.filter { slot in
                (slot["start"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) }
                    .flatMap { LocalDate($0, in: zone) }?.iso == day
            }
            #expect(!onDay.isEmpty)
            #expect(onDay.allSatisfy { $0["status"] as? String == "busy" })
            #expect(onDay.allSatisfy { PublishedSlot.extensionValue($0, PublishedSlot.deepLink) == nil })
            #expect(slots.contains { $0["status"] as? String == "free" })
        }
    }
}
