// swift-format-ignore-file: AlwaysUseLowerCamelCase
// (FHIR's JSON names are its own: `resourceType`, `birthDate`.)

import Foundation
import StationDomain
import Vocabulary

/// FHIR `Patient` (https://hl7.org/fhir/R4/patient.html) of one of a partner's patients.
struct PatientResource: FHIRResource {
    var resourceType = "Patient"
    var id: String
    var meta: FHIRMeta
    var identifier: [FHIRIdentifier]?
    var name: [FHIRHumanName]
    var telecom: [FHIRContactPoint]?
    var gender: String
    var birthDate: String
    var address: [FHIRAddress]?
    var managingOrganization: FHIRReference?

    var auditedPatients: [PatientID] { PatientID(wire: id).map { [$0] } ?? [] }

    init(_ patient: Patient) {
        let details = patient.details
        id = patient.id.wire
        meta = FHIRMeta(lastUpdated: FHIRTime.instant(patient.createdAt))
        identifier = details.mrn.map { mrn in
            [
                FHIRIdentifier(
                    use: "usual",
                    type: FHIRCodeableConcept(
                        coding: [
                            FHIRCoding(
                                system: "http://terminology.hl7.org/CodeSystem/v2-0203", code: "MR",
                                display: "Medical record number")
                        ]), system: FHIRSystems.mrn, value: mrn)
            ]
        }
        name = [FHIRHumanName(use: "official", family: details.familyName, given: [details.givenName])]
        let telecom = [
            details.phone.map { FHIRContactPoint(system: "phone", value: $0, use: "home") },
            details.email.map { FHIRContactPoint(system: "email", value: $0, use: "home") },
        ].compactMap { $0 }
        self.telecom = telecom.isEmpty ? nil : telecom
        gender = details.sex.rawValue
        birthDate = details.dateOfBirth
        address = details.address.map { address in
            [
                FHIRAddress(
                    use: "home", line: [address.line1, address.line2].compactMap { $0.nilIfEmpty }, city: address.city,
                    state: address.state, postalCode: address.zip, country: "US")
            ]
        }
        managingOrganization = patient.partnerID.map { FHIRReference(reference: "Organization/\($0.wire)") }
    }
}
