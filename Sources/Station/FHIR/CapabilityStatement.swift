// swift-format-ignore-file: AlwaysUseLowerCamelCase
// (FHIR's JSON names are its own: `resourceType`, `fhirVersion`, `valueUri`.)

import Foundation

/// What Station's FHIR API supports (https://hl7.org/fhir/R4/capabilitystatement.html): exactly the providers'
/// types, read and search, with their search parameters, secured by SMART Backend Services.
struct CapabilityStatement: Encodable, Sendable {
    var resourceType = "CapabilityStatement"
    var status = "active"
    var date: String
    var publisher = "SelfScheduling"
    var kind = "instance"
    var software = Software()
    var implementation: Implementation
    var fhirVersion = "4.0.1"
    var format = ["json"]
    var rest: [Rest]

    struct Software: Encodable, Sendable { var name = "SelfScheduling Station" }

    struct Implementation: Encodable, Sendable {
        var description = "SelfScheduling's FHIR R4 API for health-system partners"
        var url: String
    }

    struct Rest: Encodable, Sendable {
        var mode = "server"
        var documentation: String
        var security: Security
        var resource: [Resource]
    }

    struct Security: Encodable, Sendable {
        var extension_: [OAuthURIs]
        var cors = false
        var service = [
            FHIRCodeableConcept(
                coding: [
                    FHIRCoding(
                        system: "http://terminology.hl7.org/CodeSystem/restful-security-service",
                        code: "SMART-on-FHIR")
                ], text: "SMART Backend Services (client credentials, private_key_jwt)")
        ]
        var description = "A backend client's token with SMART system scopes (system/*.read), bound to one partner."

        enum CodingKeys: String, CodingKey {
            case extension_ = "extension"
            case cors, service, description
        }
    }

    struct OAuthURIs: Encodable, Sendable {
        var url = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"
        var extension_: [URIValue]

        struct URIValue: Encodable, Sendable {
            var url: String
            var valueUri: String
        }

        enum CodingKeys: String, CodingKey {
            case url
            case extension_ = "extension"
        }
    }

    struct Resource: Encodable, Sendable {
        var type: String
        var interaction = [Interaction(code: "read"), Interaction(code: "search-type")]
        var searchParam: [SearchParam]
    }

    struct Interaction: Encodable, Sendable { var code: String }

    struct SearchParam: Encodable, Sendable {
        var name: String
        var type: String
        var documentation: String
    }

    init(providers: [any FHIRResourceProvider], baseURL: String, tokenURL: String, date: Date) {
        self.date = FHIRTime.instant(date)
        implementation = Implementation(url: baseURL)
        let resources = providers.map { provider in
            let own = provider.searchParameters.filter { $0.name != "_id" }.map {
                SearchParam(name: $0.name, type: $0.type, documentation: $0.documentation)
            }
            return Resource(
                type: provider.type,
                searchParam: [SearchParam(name: "_id", type: "token", documentation: "The resource's id")] + own)
        }
        rest = [
            Rest(
                documentation:
                    "Read and search, limited to the token's partner. Published availability (SMART Scheduling "
                    + "Links) is at \(baseURL)/$bulk-publish, public and without PHI.",
                security: Security(
                    extension_: [OAuthURIs(extension_: [OAuthURIs.URIValue(url: "token", valueUri: tokenURL)])]),
                resource: resources)
        ]
    }
}
