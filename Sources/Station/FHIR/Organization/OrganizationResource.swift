// swift-format-ignore-file: AlwaysUseLowerCamelCase
// (FHIR's JSON names are its own: `resourceType`.)

import Foundation
import Vocabulary

/// FHIR `Organization` (https://hl7.org/fhir/R4/organization.html) of a partner.
struct OrganizationResource: FHIRResource {
    var resourceType = "Organization"
    var id: String
    var identifier: [FHIRIdentifier]
    var active = true
    var name: String

    init(partner: PartnerID, name: String) {
        id = partner.wire
        identifier = [FHIRIdentifier(use: "official", system: FHIRSystems.partner, value: partner.wire)]
        self.name = name
    }
}
