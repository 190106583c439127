import Foundation
import Testing
import VaporTesting

@testable import Station

@Suite("FHIR metadata and SMART configuration")
struct FHIRMetadataTests {
    @Test("the CapabilityStatement lists every type served, read and search, with its parameters, and the token URL")
    func capabilityStatement() async throws {
        try await FHIRClient.with { fhir in
            let response = try await fhir.station.send(.GET, "/fhir/r4/metadata", token: nil)
            #expect(response.status == .ok)
            #expect(response.headers.contentType?.subType == "fhir+json")
            let json = try FHIRClient.json(response)
            #expect(json["resourceType"] as? String == "CapabilityStatement")
            #expect(json["fhirVersion"] as? String == "4.0.1")
            #expect(json["kind"] as? String == "instance")
            let rest = try #require((json["rest"] as? [[String: Any]])?.first)
            let resources = try #require(rest["resource"] as? [[String: Any]])
            #expect(resources.compactMap { $0["type"] as? String } == FHIRRoutes.providers.map(\.type))
            #expect(resources.map(\.count).allSatisfy { $0 > 0 })
            for (resource, provider) in zip(resources, FHIRRoutes.providers) {
                let names = (resource["searchParam"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                #expect(names == ["_id"] + provider.searchParameters.map(\.name).filter { $0 != "_id" })
                let interactions = (resource["interaction"] as? [[String: Any]] ?? []).compactMap {
                    $0["code"] as? String
                }
                #expect(interactions == ["read", "search-type"])
            }
            let security = try #require(rest["security"] as? [String: Any])
            let oauth = try #require((security["extension"] as? [[String: Any]])?.first)
            let token = (oauth["extension"] as? [[String: Any]])?.first
            #expect(token?["url"] as? String == "token")
            #expect(token?["valueUri"] as? String == "http://localhost:8083/express/token")
        }
    }

    @Test("_format=xml on metadata is 406 with an OperationOutcome")
    func metadataXML() async throws {
        try await FHIRClient.with { fhir in
            let response = try await fhir.station.send(.GET, "/fhir/r4/metadata?_format=xml", token: nil)
            #expect(response.status == .notAcceptable)
            #expect(try FHIRClient.issueCode(response) == "not-supported")
        }
    }

    @Test("the SMART configuration names Identity's token endpoint, at the FHIR base and at Station's root")
    func smartConfiguration() async throws {
        try await FHIRClient.with { fhir in
            for path in ["/fhir/r4/.well-known/smart-configuration", "/.well-known/smart-configuration"] {
                let response = try await fhir.station.send(.GET, path, token: nil)
                #expect(response.status == .ok)
                let json = try FHIRClient.json(response)
                #expect(json["token_endpoint"] as? String == "http://localhost:8083/express/token")
                #expect(json["token_endpoint_auth_methods_supported"] as? [String] == ["private_key_jwt"])
                #expect(json["grant_types_supported"] as? [String] == ["client_credentials"])
                #expect((json["scopes_supported"] as? [String])?.contains("system/*.read") == true)
                #expect(json["capabilities"] as? [String] == ["client-confidential-asymmetric"])
            }
        }
    }

    @Test("unknown types, paths and methods under /fhir/r4 answer OperationOutcomes")
    func unknownEndpoints() async throws {
        try await FHIRClient.with { fhir in
            let type = try await fhir.get("Observation")
            #expect(type.status == .notFound)
            #expect(try FHIRClient.issueCode(type) == "not-supported")
            let path = try await fhir.get("Patient/1/_history/2")
            #expect(path.status == .notFound)
            #expect(try FHIRClient.issueCode(path) == "not-found")
            let delete = try await fhir.station.send(.DELETE, "/fhir/r4/Patient/1", token: try await fhir.token())
            #expect(delete.status == .methodNotAllowed)
            #expect(try FHIRClient.issueCode(delete) == "not-supported")
        }
    }
}
