import Foundation
import StationDomain
import Testing
import VaporTesting
import Vocabulary

@testable import Station

@Suite("FHIR Organization: the token's own partner only")
struct FHIROrganizationTests {
    @Test("the partner reads and finds itself; another partner is 404 and never found")
    func ownPartnerOnly() async throws {
        try await FHIRClient.with { fhir in
            let own = try await fhir.get("Organization/\(DemoData.mercy.wire)")
            #expect(own.status == .ok)
            let json = try FHIRClient.json(own)
            #expect(json["resourceType"] as? String == "Organization")
            #expect(json["active"] as? Bool == true)
            #expect((json["identifier"] as? [[String: Any]])?.first?["value"] as? String == DemoData.mercy.wire)

            let other = try await fhir.get("Organization/\(DemoData.sunrise.wire)")
            #expect(other.status == .notFound)
            #expect(try FHIRClient.issueCode(other) == "not-found")
            #expect(try await fhir.audit().last?.outcome == "not_found")

            #expect(try FHIRClient.page(try await fhir.get("Organization")).ids == [DemoData.mercy.wire])
            #expect(try FHIRClient.page(try await fhir.get("Organization?_id=\(DemoData.sunrise.wire)")).ids.isEmpty)
            #expect(try FHIRClient.page(try await fhir.get("Organization?name=mer")).ids == [DemoData.mercy.wire])
        }
    }
}
