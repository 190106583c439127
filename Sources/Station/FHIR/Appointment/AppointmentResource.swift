// swift-format-ignore-file: AlwaysUseLowerCamelCase
// (FHIR's JSON names are its own.)

import Foundation
import StationDomain
import Vocabulary

/// FHIR R4 `Appointment` for a care request's visit, once it has a time window or an arrival estimate
/// (https://hl7.org/fhir/R4/appointment.html).
struct AppointmentResource: FHIRResource {
    struct Participant: Encodable, Sendable, Equatable {
        var actor: FHIRReference
        var status = "accepted"
    }

    let resourceType = "Appointment"
    var id: String
    var meta: FHIRMeta
    var `extension`: [FHIRExtension]
    var status: String
    var serviceType: [FHIRCodeableConcept]
    var start: String
    var end: String
    var created: String
    var requestedPeriod: [FHIRPeriod]?
    var basedOn: [FHIRReference]
    var participant: [Participant]
    var careRequest: CareRequestID
    var patient: PatientID

    var auditedPatients: [PatientID] { [patient] }
    var auditedCareRequests: [CareRequestID] { [careRequest] }

    enum CodingKeys: String, CodingKey {
        case resourceType, id, meta, `extension`, status, serviceType, start, end, created, requestedPeriod, basedOn
        case participant
    }

    /// Nil when the request has neither a window nor an arrival estimate: there is no visit to describe yet.
    init?(_ row: FHIRCareRequestRow) {
        guard
            let status = FHIRAppointmentStatus.of(row.status, hasWindow: row.timeWindow != nil, hasETA: row.eta != nil),
            let visit = row.eta ?? row.timeWindow
        else { return nil }
        id = row.id.wire
        careRequest = row.id
        patient = row.patientID
        meta = FHIRMeta(lastUpdated: FHIRTime.instant(row.updatedAt))
        `extension` = [row.statusExtension]
        self.status = status.rawValue
        serviceType = [row.serviceLine]
        start = FHIRTime.instant(visit.start)
        end = FHIRTime.instant(visit.end)
        created = FHIRTime.instant(row.createdAt)
        requestedPeriod = row.timeWindow.map { [FHIRPeriod($0)] }
        basedOn = [FHIRReference(reference: "ServiceRequest/\(row.id.wire)")]
        participant = [
            Participant(actor: FHIRReference(reference: "Patient/\(row.patientID.wire)")),
            Participant(actor: FHIRReference(reference: "Location/\(row.marketID.wire)", display: row.marketName)),
        ]
    }
}
