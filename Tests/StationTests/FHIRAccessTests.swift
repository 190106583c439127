import Fluent
import Foundation
import StationDomain
import Testing
import VaporTesting
import Vocabulary

@testable import Station

@Suite("FHIR access: a backend client's token, bound to a partner, with covering SMART scopes")
struct FHIRAccessTests {
    @Test("no token, or one that does not verify, is 401 login with a Bearer challenge, and nothing is audited")
    func unauthenticated() async throws {
        try await FHIRClient.with { fhir in
            let missing = try await fhir.station.send(.GET, "/fhir/r4/Patient", token: nil)
            #expect(missing.status == .unauthorized)
            #expect(try FHIRClient.issueCode(missing) == "login")
            #expect(missing.headers.first(name: "WWW-Authenticate")?.hasPrefix("Bearer") == true)
            let forged = try await fhir.station.send(.GET, "/fhir/r4/Patient", token: "not.a.token")
            #expect(forged.status == .unauthorized)
            #expect(try FHIRClient.issueCode(forged) == "login")
            #expect(try await fhir.audit().isEmpty)
        }
    }

    @Test("a user's token, a token of no partner, or scopes that do not cover the type are 403, audited denied")
    func forbidden() async throws {
        try await FHIRClient.with { fhir in
            let user = try await fhir.station.token(
                tenant: "express", subject: "user-1", client: "express-web", scopes: ["system/*.read"],
                partner: DemoData.mercy)
            let noPartner = try await fhir.token(partner: nil)
            let otherType = try await fhir.token(scopes: ["system/Organization.read"])
            let readOnly = try await fhir.token(scopes: ["system/Patient.r"])
            for (token, says) in [
                (user, "backend client"), (noPartner, "bound to no partner"), (otherType, "system/Patient.read"),
                (readOnly, "search of Patient"),
            ] {
                let response = try await fhir.get("Patient", token: token)
                #expect(response.status == .forbidden)
                #expect(try FHIRClient.issueCode(response) == "forbidden")
                let diagnostics = ((try FHIRClient.json(response)["issue"] as? [[String: Any]])?.first)?["diagnostics"]
                #expect((diagnostics as? String)?.contains(says) == true)
            }
            let audit = try await fhir.audit()
            #expect(audit.count == 4)
            #expect(audit.allSatisfy { $0.outcome == "denied" && $0.action == "fhir.search" })
            #expect(audit.map(\.partnerID).compactMap { $0 }.allSatisfy { $0 == DemoData.mercy.rawValue })
        }
    }

    @Test("v2 scopes: system/Patient.rs reads and searches Patient")
    func smartV2Scopes() async throws {
        try await FHIRClient.with { fhir in
            let id = try await fhir.patient("Vera")
            let token = try await fhir.token(scopes: ["system/Patient.rs"])
            #expect(try await fhir.get("Patient/\(id.wire)", token: token).status == .ok)
            #expect(try await fhir.get("Patient?family=fhircore", token: token).status == .ok)
            #expect(try await fhir.get("Organization", token: token).status == .forbidden)
        }
    }

    @Test("when the audit cannot be written, the answer is a 500 OperationOutcome with no data")
    func auditFailure() async throws {
        try await FHIRClient.with { fhir in
            let id = try await fhir.patient("Walt")
            try await fhir.station.app.serviceDatabase.db.schema(AuditEventModel.schema).delete()
            let response = try await fhir.get("Patient/\(id.wire)")
            #expect(response.status == .internalServerError)
            #expect(try FHIRClient.issueCode(response) == "exception")
            #expect(!String(buffer: response.body).contains("Walt"))
        }
    }
}
