// swift-format-ignore-file: AlwaysUseLowerCamelCase
// (FHIR's JSON names are its own.)

import Foundation
import StationDomain
import Vocabulary

/// Our code and identifier systems the care-request resources use (docs/FHIR.md).
enum CareRequestFHIRSystems {
    static let serviceLine = "https://selfscheduling.example/fhir/CodeSystem/service-line"
    static let expressUser = "https://selfscheduling.example/fhir/sid/express-user"
    static let careRequestStatus = "https://selfscheduling.example/fhir/StructureDefinition/care-request-status"
}

/// A Reference that may name its target by identifier only (a partner's user has no resource here).
struct FHIRIdentifiedReference: Encodable, Sendable, Equatable {
    var reference: String?
    var identifier: FHIRIdentifier?
    var display: String?
}

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
    var requester: FHIRIdentifiedReference?
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
                FHIRIdentifiedReference(
                    identifier: FHIRIdentifier(system: CareRequestFHIRSystems.expressUser, value: user),
                    display: "\(partnerName) user")
            case .partner:
                FHIRIdentifiedReference(reference: "Organization/\(partner.wire)", display: partnerName)
            case .patient: FHIRIdentifiedReference(reference: "Patient/\(row.patientID.wire)")
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
        FHIRExtension(url: CareRequestFHIRSystems.careRequestStatus, valueString: status.rawValue)
    }

    var serviceLine: FHIRCodeableConcept {
        FHIRCodeableConcept(
            coding: [
                FHIRCoding(system: CareRequestFHIRSystems.serviceLine, code: serviceLineCode, display: serviceLineName)
            ],
            text: serviceLineName)
    }
}

extension FHIRPeriod {
    init(_ interval: DateInterval) {
        self.init(start: FHIRTime.instant(interval.start), end: FHIRTime.instant(interval.end))
    }
}
