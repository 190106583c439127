import Foundation
import StationDomain
import TestSupport
import Testing
import Vocabulary

@testable import Station

@Suite("FHIR ServiceRequest")
struct FHIRServiceRequestTests {
    typealias Fixture = FHIRCareRequestFixture
    let provider = ServiceRequestProvider()

    @Test("a partner user's request reads with its status, service line, window, requester, reason and market")
    func partnerUsersRequest() async throws {
        try await Fixture.with { f in
            let patient = try await f.patient("Ada")
            let window = try await f.window()
            let made = f.clock.now
            let id = try await f.request(for: patient, window: window, createdBy: "user-1")
            let resource = try #require(try await provider.read(id.wire, in: f.context()))
            #expect(resource.auditedPatients == [patient])
            #expect(resource.auditedCareRequests == [id])
            let json = try Fixture.json(resource)
            func at(_ path: Any...) -> Any? { Fixture.value(json, path) }
            #expect(json["resourceType"] as? String == "ServiceRequest")
            #expect(json["id"] as? String == id.wire)
            #expect(json["status"] as? String == "active")
            #expect(json["intent"] as? String == "order")
            #expect(at("extension", 0, "url") as? String == FHIRSystems.careRequestStatus)
            #expect(at("extension", 0, "valueString") as? String == "requested")
            #expect(
                at("code", "coding", 0, "system") as? String
                    == "https://selfscheduling.example/fhir/CodeSystem/service-line")
            #expect(at("code", "coding", 0, "code") as? String == "acute_care")
            #expect(at("code", "coding", 0, "display") as? String == "Acute care")
            #expect(at("subject", "reference") as? String == "Patient/\(patient.wire)")
            #expect(json["authoredOn"] as? String == FHIRTime.instant(made))
            #expect(at("meta", "lastUpdated") as? String == FHIRTime.instant(made))
            #expect(at("occurrencePeriod", "start") as? String == FHIRTime.instant(window.start))
            #expect(at("occurrencePeriod", "end") as? String == FHIRTime.instant(window.end))
            #expect(
                at("requester", "identifier", "system") as? String
                    == "https://selfscheduling.example/fhir/sid/express-user")
            #expect(at("requester", "identifier", "value") as? String == "user-1")
            #expect(at("requester", "display") as? String == "Test Health user")
            #expect(at("requester", "reference") == nil)
            #expect(at("reasonCode", 0, "text") as? String == "Fever and cough")
            #expect(at("locationReference", 0, "reference") as? String == "Location/\(DemoData.denver.wire)")
        }
    }

    @Test("a patient's own request names the patient as requester and shows no reason; no window, no occurrence")
    func patientsRequest() async throws {
        try await Fixture.with { f in
            let patient = try await f.patient("Ada")
            let id = try await f.request(for: patient, source: .ossD2M, createdBy: nil, complaint: "Dizzy spells")
            let json = try Fixture.json(try #require(try await provider.read(id.wire, in: f.context())))
            #expect(Fixture.value(json, ["requester", "reference"]) as? String == "Patient/\(patient.wire)")
            #expect(json["reasonCode"] == nil)
            #expect(json["occurrencePeriod"] == nil)
            #expect(
                !String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self).contains("Dizzy"))
            #expect(Fixture.value(json, ["extension", 0, "valueString"]) as? String == "pending_triage")
        }
    }

    @Test("the status follows ours: complete is completed, archived is revoked; ours travels in the extension")
    func statuses() async throws {
        try await Fixture.with { f in
            let patient = try await f.patient("Ada")
            let window = try await f.window()
            let done = try await f.request(for: patient, window: window)
            try await f.move(
                done, through: [.accepted, .scheduled, .onRoute, .onScene, .complete], eta: window)
            let dropped = try await f.request(for: patient)
            try await f.move(dropped, through: [.archived])
            for (id, fhir, ours) in [(done, "completed", "complete"), (dropped, "revoked", "archived")] {
                let json = try Fixture.json(try #require(try await provider.read(id.wire, in: f.context())))
                #expect(json["status"] as? String == fhir)
                #expect(Fixture.value(json, ["extension", 0, "valueString"]) as? String == ours)
            }
        }
    }

    @Test("another partner's request reads as none, and no search of ours ever holds it")
    func scoping() async throws {
        try await Fixture.with { f in
            let mine = try await f.request(for: try await f.patient("Ada"))
            let sunrise = try await f.ids(provider, as: DemoData.sunrise)
            #expect(!sunrise.isEmpty)
            #expect(!sunrise.contains(mine.wire))
            for other in sunrise {
                #expect(try await provider.read(other, in: f.context()) == nil)
            }
            #expect(try await f.ids(provider) == [mine.wire])
            #expect(try await f.ids(provider, [("_id", sunrise.joined(separator: ","))]).isEmpty)
            #expect(try await provider.read("not-an-id", in: f.context()) == nil)
            #expect(try await provider.read(mine.wire, in: f.context(DemoData.sunrise)) == nil)
        }
    }

    @Test("patient, subject and _id narrow a search; the total comes with a patient")
    func byPatientAndID() async throws {
        try await Fixture.with { f in
            let ada = try await f.patient("Ada")
            let bob = try await f.patient("Bob")
            let first = try await f.request(for: ada)
            let second = try await f.request(for: bob)
            let third = try await f.request(for: ada)
            #expect(try await f.ids(provider, [("patient", "Patient/\(ada.wire)")]) == [third.wire, first.wire])
            #expect(try await f.ids(provider, [("subject", ada.wire)]) == [third.wire, first.wire])
            #expect(try await f.ids(provider, [("patient", "\(Fixture.base)/Patient/\(bob.wire)")]) == [second.wire])
            #expect(try await f.ids(provider, [("patient", "\(ada.wire),\(bob.wire)")]).count == 3)
            #expect(try await f.ids(provider, [("patient", ada.wire), ("patient", bob.wire)]).isEmpty)
            #expect(try await f.search(provider, [("patient", ada.wire)]).total == 2)
            #expect(try await f.search(provider).total == nil)
            #expect(try await f.ids(provider, [("_id", "\(first.wire),\(second.wire)")]) == [second.wire, first.wire])
            #expect(try await f.ids(provider, [("_id", second.wire), ("patient", ada.wire)]).isEmpty)
            await #expect(throws: FHIRError.self) {
                try await f.search(provider, [("patient", "Practitioner/\(ada.wire)")])
            }
        }
    }

    @Test("status matches FHIR codes (comma = or); an unknown code is a bad request")
    func byStatus() async throws {
        try await Fixture.with { f in
            let patient = try await f.patient("Ada")
            let open = try await f.request(for: patient)
            let dropped = try await f.request(for: patient)
            try await f.move(dropped, through: [.archived])
            #expect(try await f.ids(provider, [("status", "active")]) == [open.wire])
            #expect(try await f.ids(provider, [("status", "revoked")]) == [dropped.wire])
            #expect(try await f.ids(provider, [("status", "completed,revoked")]) == [dropped.wire])
            #expect(try await f.ids(provider, [("status", "active,revoked")]) == [dropped.wire, open.wire])
            #expect(try await f.ids(provider, [("status", "on-hold")]).isEmpty)
            await #expect(throws: FHIRError.self) { try await f.search(provider, [("status", "requested")]) }
        }
    }

    @Test("authored and _lastUpdated bound the times a request was made and last changed")
    func byDates() async throws {
        try await Fixture.with { f in
            let patient = try await f.patient("Ada")
            let early = try await f.request(for: patient)
            f.clock.advance(3600)
            let cut = f.clock.now
            let late = try await f.request(for: patient)
            f.clock.advance(3600)
            let touched = f.clock.now
            try await f.move(early, through: [.archived])
            let instant = FHIRTime.instant(cut)
            #expect(try await f.ids(provider, [("authored", "ge\(instant)")]) == [late.wire])
            #expect(try await f.ids(provider, [("authored", "lt\(instant)")]) == [early.wire])
            #expect(try await f.ids(provider, [("authored", "gt2000-01-01"), ("authored", "le2000-12-31")]).isEmpty)
            #expect(try await f.ids(provider, [("_lastUpdated", "ge\(FHIRTime.instant(touched))")]) == [early.wire])
            await #expect(throws: FHIRError.self) { try await f.search(provider, [("authored", "yesterday")]) }
        }
    }

    @Test("next pages through every request once, newest first; _summary=count gives only the total")
    func paging() async throws {
        try await Fixture.with { f in
            let patient = try await f.patient("Ada")
            var made: [String] = []
            for _ in 0..<5 { made.append(try await f.request(for: patient).wire) }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await f.search(provider, count: 2, cursor: cursor)
                #expect(page.resources.count <= 2)
                seen += page.resources.map(\.id)
                cursor = page.next
            } while cursor != nil
            #expect(seen == made.reversed())
            let counted = try await f.search(provider, onlyCount: true)
            #expect(counted.total == 5)
            #expect(counted.resources.isEmpty)
            await #expect(throws: FHIRError.self) { try await f.search(provider, cursor: "garbage") }
        }
    }
}
