// swift-format-ignore-file: AlwaysUseLowerCamelCase
// (FHIR's JSON names are its own: `resourceType`, `valueInteger`, `fullUrl`.)

import Foundation

// FHIR R4 datatypes every resource of Station's shares (https://hl7.org/fhir/R4/datatypes.html). Optional fields are
// left out of the JSON when nil, as FHIR requires (no `null`, no empty arrays).

struct FHIRMeta: Codable, Sendable, Equatable {
    var lastUpdated: String?
    var tag: [FHIRCoding]?
}

struct FHIRCoding: Codable, Sendable, Equatable {
    var system: String?
    var code: String?
    var display: String?
}

struct FHIRCodeableConcept: Codable, Sendable, Equatable {
    var coding: [FHIRCoding]?
    var text: String?
}

struct FHIRIdentifier: Codable, Sendable, Equatable {
    var use: String?
    var type: FHIRCodeableConcept?
    var system: String?
    var value: String?
}

struct FHIRReference: Codable, Sendable, Equatable {
    /// `Patient/<id>`, relative to the base.
    var reference: String?
    /// Names the target by identifier alone when it has no resource here (a partner's user).
    var identifier: FHIRIdentifier?
    var display: String?
}

struct FHIRPeriod: Codable, Sendable, Equatable {
    var start: String?
    var end: String?
}

struct FHIRHumanName: Codable, Sendable, Equatable {
    var use: String?
    var family: String?
    var given: [String]?
    var text: String?
}

struct FHIRContactPoint: Codable, Sendable, Equatable {
    /// `phone`, `email`, `url`.
    var system: String?
    var value: String?
    var use: String?
}

struct FHIRAddress: Codable, Sendable, Equatable {
    var use: String?
    var line: [String]?
    var city: String?
    var district: String?
    var state: String?
    var postalCode: String?
    var country: String?
}

/// An extension with one value; set the one `value…` field its definition names.
struct FHIRExtension: Codable, Sendable, Equatable {
    var url: String
    var valueString: String?
    var valueInteger: Int?
    var valueUrl: String?
    var valueBoolean: Bool?

    init(
        url: String, valueString: String? = nil, valueInteger: Int? = nil, valueUrl: String? = nil,
        valueBoolean: Bool? = nil
    ) {
        self.url = url
        self.valueString = valueString
        self.valueInteger = valueInteger
        self.valueUrl = valueUrl
        self.valueBoolean = valueBoolean
    }
}

/// Our own identifier, code and extension systems (docs/FHIR.md), one place for every resource.
enum FHIRSystems {
    static let mrn = "https://selfscheduling.example/fhir/sid/mrn"
    static let partner = "https://selfscheduling.example/fhir/sid/partner"
    static let expressUser = "https://selfscheduling.example/fhir/sid/express-user"
    static let serviceLine = "https://selfscheduling.example/fhir/CodeSystem/service-line"
    static let careRequestStatus = "https://selfscheduling.example/fhir/StructureDefinition/care-request-status"
    static let servedPostalCode = "https://selfscheduling.example/fhir/StructureDefinition/served-postal-code"
}

enum FHIRTime {
    /// FHIR's `instant`/`dateTime` text: UTC, whole seconds (`2026-11-30T21:00:00Z`).
    static func instant(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: false).format(date)
    }
}
