import Foundation
import StationDomain
import TestSupport
import Testing
import Vocabulary

@testable import Station

@Suite("FHIR Appointment")
struct FHIRAppointmentTests {
    typealias Fixture = FHIRCareRequestFixture
    let provider = AppointmentProvider()

    @Test("a request waiting for a nurse, with no window and no arrival estimate, has no Appointment")
    func noVisitYet() async throws {
        try await Fixture.with { f in
            let id = try await f.request(for: try await f.patient("Ada"))
            #expect(try await provider.read(id.wire, in: f.context()) == nil)
            #expect(try await f.ids(provider).isEmpty)
            #expect(try await ServiceRequestProvider().read(id.wire, in: f.context()) != nil)
        }
    }

    @Test("a booked window is a proposed Appointment for the patient at the market, based on the ServiceRequest")
    func requestedWindow() async throws {
        try await Fixture.with { f in
            let patient = try await f.patient("Ada")
            let window = try await f.window()
            let made = f.clock.now
            let id = try await f.request(for: patient, window: window)
            let resource = try #require(try await provider.read(id.wire, in: f.context()))
            #expect(resource.auditedPatients == [patient])
            #expect(resource.auditedCareRequests == [id])
            let json = try Fixture.json(resource)
            func at(_ path: Any...) -> Any? { Fixture.value(json, path) }
            #expect(json["resourceType"] as? String == "Appointment")
            #expect(json["id"] as? String == id.wire)
            #expect(json["status"] as? String == "proposed")
            #expect(at("extension", 0, "valueString") as? String == "requested")
            #expect(json["start"] as? String == FHIRTime.instant(window.start))
            #expect(json["end"] as? String == FHIRTime.instant(window.end))
            #expect(at("requestedPeriod", 0, "start") as? String == FHIRTime.instant(window.start))
            #expect(at("requestedPeriod", 0, "end") as? String == FHIRTime.instant(window.end))
            #expect(json["created"] as? String == FHIRTime.instant(made))
            #expect(at("basedOn", 0, "reference") as? String == "ServiceRequest/\(id.wire)")
            #expect(at("serviceType", 0, "coding", 0, "code") as? String == "acute_care")
            #expect(at("participant", 0, "actor", "reference") as? String == "Patient/\(patient.wire)")
            #expect(at("participant", 0, "status") as? String == "accepted")
            #expect(at("participant", 1, "actor", "reference") as? String == "Location/\(DemoData.denver.wire)")
            #expect(at("participant", 1, "status") as? String == "accepted")
        }
    }

    @Test(
        "once scheduled the Appointment is booked, from the arrival estimate; arrived on scene; fulfilled when complete"
    )
    func arrivalEstimate() async throws {
        try await Fixture.with { f in
            let window = try await f.window()
            let id = try await f.request(for: try await f.patient("Ada"), window: window)
            let eta = DateInterval(start: window.start.addingTimeInterval(1800), duration: 1800)
            try await f.move(id, through: [.accepted], eta: eta)
            #expect(
                try Fixture.json(try #require(try await provider.read(id.wire, in: f.context())))["status"] as? String
                    == "pending")
            try await f.move(id, through: [.scheduled], eta: eta)
            let json = try Fixture.json(try #require(try await provider.read(id.wire, in: f.context())))
            #expect(json["status"] as? String == "booked")
            #expect(json["start"] as? String == FHIRTime.instant(eta.start))
            #expect(json["end"] as? String == FHIRTime.instant(eta.end))
            #expect(Fixture.value(json, ["requestedPeriod", 0, "start"]) as? String == FHIRTime.instant(window.start))
            try await f.move(id, through: [.onRoute, .onScene])
            #expect(
                try Fixture.json(try #require(try await provider.read(id.wire, in: f.context())))["status"] as? String
                    == "arrived")
            try await f.move(id, through: [.complete])
            #expect(
                try Fixture.json(try #require(try await provider.read(id.wire, in: f.context())))["status"] as? String
                    == "fulfilled")
        }
    }

    @Test("patient, status and date narrow a search; another partner's visits are never in it")
    func search() async throws {
        try await Fixture.with { f in
            let ada = try await f.patient("Ada")
            let bob = try await f.patient("Bob")
            let first = try await f.window()
            let later = try await f.window(skip: 1)
            let adas = try await f.request(for: ada, window: first)
            let bobs = try await f.request(for: bob, window: later)
            _ = try await f.request(for: bob)
            try await f.move(bobs, through: [.archived])
            #expect(try await f.ids(provider) == [bobs.wire, adas.wire])
            #expect(try await f.ids(provider, [("patient", "Patient/\(ada.wire)")]) == [adas.wire])
            #expect(try await f.search(provider, [("patient", bob.wire)]).total == 1)
            #expect(try await f.ids(provider, [("status", "cancelled")]) == [bobs.wire])
            #expect(try await f.ids(provider, [("status", "proposed,pending")]) == [adas.wire])
            #expect(try await f.ids(provider, [("status", "booked")]).isEmpty)
            #expect(try await f.ids(provider, [("date", "ge\(FHIRTime.instant(later.start))")]) == [bobs.wire])
            #expect(try await f.ids(provider, [("date", "lt\(FHIRTime.instant(later.start))")]) == [adas.wire])
            #expect(try await f.ids(provider, [("date", FHIRTime.instant(first.start))]) == [adas.wire])
            await #expect(throws: FHIRError.self) { try await f.search(provider, [("status", "active")]) }
            let sunrise = try await f.ids(provider, as: DemoData.sunrise)
            #expect(!sunrise.isEmpty)
            #expect(Set(sunrise).isDisjoint(with: [adas.wire, bobs.wire]))
            for other in sunrise { #expect(try await provider.read(other, in: f.context()) == nil) }
        }
    }
}
