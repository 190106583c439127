import Fluent
import Foundation
import StationDomain
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Station

/// Station with the demo data, read through `/fhir/r4` as an EHR's backend client of a partner would.
struct FHIRClient {
    let station: StationHarness

    static let base = "http://localhost:8082/fhir/r4"

    static func with(_ body: (FHIRClient) async throws -> Void) async throws {
        try await StationHarness.with { station in try await body(FHIRClient(station: station)) }
    }

    /// A backend client's token (subject = client), bound to `partner`, with `scopes`.
    func token(
        partner: PartnerID? = DemoData.mercy, scopes: [String] = ["system/*.read"], client: String = "ehr-test"
    ) async throws -> String {
        try await station.token(tenant: "express", subject: client, client: client, scopes: scopes, partner: partner)
    }

    /// GETs `path` (under `/fhir/r4/`) with a Mercy token unless another is given.
    func get(_ path: String, token: String? = nil, headers: [(String, String)] = []) async throws
        -> TestingHTTPResponse
    {
        let bearer: String
        if let token { bearer = token } else { bearer = try await self.token() }
        return try await station.send(.GET, "/fhir/r4/\(path)", token: bearer, headers: headers)
    }

    /// A new patient of `partner`'s (family name `Fhircore`, so that a search can find exactly the test's own).
    @discardableResult
    func patient(
        _ given: String, family: String = "Fhircore", of partner: PartnerID = DemoData.mercy, mrn: String? = nil
    ) async throws -> PatientID {
        try await station.store.createPatient(
            partner: partner,
            details: NewPatient(
                givenName: given, familyName: family, dateOfBirth: "1941-05-06", sex: .male, phone: "303-555-0142",
                address: Address(line1: "1 Main St", city: "Denver", state: "CO", zip: "80202"), mrn: mrn)
        ).id
    }

    /// The audit's rows, oldest first.
    func audit() async throws -> [AuditEventModel] {
        try await AuditEventModel.query(on: station.app.serviceDatabase.db).sort(\.$at).all()
    }

    static func json(_ response: TestingHTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    /// The one issue of an OperationOutcome answer: its code.
    static func issueCode(_ response: TestingHTTPResponse) throws -> String? {
        let json = try json(response)
        #expect(json["resourceType"] as? String == "OperationOutcome")
        #expect(response.headers.contentType?.subType == "fhir+json")
        return ((json["issue"] as? [[String: Any]])?.first)?["code"] as? String
    }

    /// The ids of a Bundle's entries, and its next link.
    static func page(_ response: TestingHTTPResponse) throws -> (ids: [String], next: String?) {
        let json = try json(response)
        let entries = json["entry"] as? [[String: Any]] ?? []
        let ids = entries.compactMap { ($0["resource"] as? [String: Any])?["id"] as? String }
        let next = (json["link"] as? [[String: Any]] ?? []).first { $0["relation"] as? String == "next" }?["url"]
        return (ids, next as? String)
    }
}
