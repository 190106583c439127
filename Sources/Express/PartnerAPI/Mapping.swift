import ExpressDomain
import ExpressPartnerAPI
import Foundation
import Vocabulary

// Express's records to the partner API's generated types, at the edge only.

extension Components.Schemas.CareRequestItem {
    init(_ item: CareRequestSummary, createdBy: String) {
        self.init(
            id: item.id.wire, patientId: item.patientID.wire, patientName: item.patientName,
            status: item.status.rawValue,
            serviceLine: item.serviceLine, market: item.market, source: item.source.rawValue, createdAt: item.createdAt,
            createdBy: createdBy)
    }
}

extension Components.Schemas.CareRequestDetail {
    init(_ found: ExpressDomain.CareRequestDetail, createdBy: String) {
        let a = found.visitAddress
        self.init(
            id: found.id.wire, patientId: found.patient.id.wire, patientName: found.patient.name,
            status: found.status.rawValue,
            serviceLine: found.serviceLine, market: found.market, source: found.source.rawValue,
            createdAt: found.createdAt,
            createdBy: createdBy, timeWindowStart: found.timeWindow?.start, timeWindowEnd: found.timeWindow?.end,
            etaStart: found.eta?.start, etaEnd: found.eta?.end,
            visitAddress: "\(a.line1), \(a.city), \(a.state) \(a.zip)",
            requester: found.requester.name, statusHistory: found.statusHistory.map(Components.Schemas.StatusEntry.init)
        )
    }
}

extension Components.Schemas.StatusEntry {
    init(_ change: StatusChange) { self.init(status: change.to.rawValue, at: change.changedAt, reason: change.reason) }
}

extension Components.Schemas.Patient {
    init(_ patient: ExpressDomain.Patient) {
        self.init(
            id: patient.id.wire, name: patient.name, dateOfBirth: patient.dateOfBirth, phone: patient.phone,
            mrn: patient.mrn)
    }
}
