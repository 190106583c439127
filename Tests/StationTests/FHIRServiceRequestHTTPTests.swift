import Foundation
import StationDomain
import TestSupport
import Testing
import VaporTesting
import Vocabulary

@testable import Station

@Suite("FHIR ServiceRequest and Appointment over HTTP")
struct FHIRServiceRequestHTTPTests {
    typealias Fixture = FHIRCareRequestFixture

    @Test("an EHR pages through its partner's ServiceRequests by next links, each page audited by id")
    func pagesByNextLinks() async throws {
        try await Fixture.with { f in
            let fhir = FHIRClient(station: f.station)
            let token = try await fhir.token(partner: f.partner)
            let patient = try await f.patient("Ada")
            var made: [String] = []
            for _ in 0..<3 { made.append(try await f.request(for: patient).wire) }
            var seen: [String] = []
            var path: String? = "ServiceRequest?status=active&_count=2"
            while let next = path {
                let response = try await fhir.get(next, token: token)
                #expect(response.status == .ok)
                let page = try FHIRClient.page(response)
                seen += page.ids
                let audit = try #require(try await fhir.audit().last)
                #expect(audit.action == "fhir.search")
                #expect(audit.careRequestIDs == page.ids.joined(separator: " "))
                path = page.next.map { String($0.dropFirst(FHIRClient.base.count + 1)) }
            }
            #expect(seen == made.reversed())
        }
    }

    @Test("another partner's ServiceRequest and Appointment are 404; a status that is not FHIR's is a 400")
    func scopedAndValidated() async throws {
        try await Fixture.with { f in
            let fhir = FHIRClient(station: f.station)
            let window = try await f.window()
            let id = try await f.request(for: try await f.patient("Ada"), window: window)
            let mine = try await fhir.token(partner: f.partner)
            let appointment = try await fhir.get("Appointment/\(id.wire)", token: mine)
            #expect(appointment.status == .ok)
            #expect(try FHIRClient.json(appointment)["status"] as? String == "proposed")
            let theirs = try await fhir.token(partner: DemoData.sunrise)
            for type in ["ServiceRequest", "Appointment"] {
                let response = try await fhir.get("\(type)/\(id.wire)", token: theirs)
                #expect(response.status == .notFound)
                #expect(try FHIRClient.issueCode(response) == "not-found")
            }
            let bad = try await fhir.get("ServiceRequest?status=requested", token: mine)
            #expect(bad.status == .badRequest)
            #expect(try FHIRClient.issueCode(bad) == "invalid")
        }
    }
}
