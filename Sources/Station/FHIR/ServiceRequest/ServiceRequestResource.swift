// swift-format-ignore-file: AlwaysUseLowerCamelCase
// (FHIR's JSON names are its own.)

import Foundation
import StationDomain
import Vocabulary

/// FHIR R4 `ServiceRequest` for one care request (https://hl7.org/fhir/R4/servicerequest.html).
struct ServiceRequestResource: FHIRResource {
    let resourceType = "ServiceRequest"
    var id: String
    var meta: FHIRMeta
    var `extension`: [FHIRExtension]
    var status: String
    var intent = "order"
    var code: FHIRCodeableConcept
    var subject: FHIRReference
    var occurrencePeriod: FHIRPeriod?
    var authoredOn: String
    var requester: FHIRReference?
    var reasonCode: [FHIRCodeableConcept]?
    var locationReference: [FHIRReference]
    var careRequest: CareRequestID
    var patient: PatientID

    var auditedPatients: [PatientID] { [patient] }
    var auditedCareRequests: [CareRequestID] { [careRequest] }

    enum CodingKeys: String, CodingKey {
        case resourceType, id, meta, `extension`, status, intent, code, subject, occurrencePeriod, authoredOn
        case requester, reasonCode, locationReference
    }

    init(_ row: FHIRCareRequestRow, partner: PartnerID, partnerName: String) {
        id = row.id.wire
        careRequest = row.id
        patient = row.patientID
        meta = FHIRMeta(lastUpdated: FHIRTime.instant(row.updatedAt))
        `extension` = [row.statusExtension]
        status = FHIRServiceRequestStatus(row.status).rawValue
        code = row.serviceLine
        subject = FHIRReference(reference: "Patient/\(row.patientID.wire)")
        occurrencePeriod = row.timeWindow.map(FHIRPeriod.init)
        authoredOn = FHIRTime.instant(row.createdAt)
        requester =
            switch row.author {
            case .partnerUser(let user):
                FHIRReference(
                    identifier: FHIRIdentifier(system: FHIRSystems.expressUser, value: user),
                    display: "\(partnerName) user")
            case .partner:
                FHIRReference(reference: "Organization/\(partner.wire)", display: partnerName)
            case .patient: FHIRReference(reference: "Patient/\(row.patientID.wire)")
            case .phone: nil
            }
        // The reason is shown back only to the partner that wrote it.
        reasonCode = row.author.isPartner ? [FHIRCodeableConcept(text: row.chiefComplaint)] : nil
        locationReference = [FHIRReference(reference: "Location/\(row.marketID.wire)", display: row.marketName)]
    }
}

extension FHIRCareRequestRow {
    /// Our own status, which FHIR's coarser codes lose.
    var statusExtension: FHIRExtension {
        FHIRExtension(url: FHIRSystems.careRequestStatus, valueString: status.rawValue)
    }

    var serviceLine: FHIRCodeableConcept {
        FHIRCodeableConcept(
            coding: [
                FHIRCoding(system: FHIRSystems.serviceLine, code: serviceLineCode, display: serviceLineName)
            ],
            text: serviceLineName)
    }
}

extension FHIRPeriod {
    init(_ interval: DateInterval) {
        self.init(start: FHIRTime.instant(interval.start), end: FHIRTime.instant(interval.end))
    }
}
