import ExpressDomain
import Foundation
import StationAPI
import Vocabulary

// Station's generated types to Express's records, at the edge. An id Station sends that is not a UUID means
// Station is not answering as its contract says: Express treats it as unavailable rather than guess.

func malformed(_ what: String, _ text: String) -> ServiceUnavailable {
    ServiceUnavailable(service: "Station", description: "Station sent \(what) \(text.prefix(64)), which is not an id")
}

/// `id` read from Station's `text`, or ``ServiceUnavailable`` when it could not be.
func required<ID>(_ id: ID?, _ what: String, _ text: String) throws -> ID {
    guard let id else { throw malformed(what, text) }
    return id
}

extension Components.Schemas.CareRequestPhase {
    init(_ phase: CareRequestPhase) {
        switch phase {
        case .current: self = .current
        case .past: self = .past
        }
    }
}

extension CareRequestStatus {
    init(_ status: Components.Schemas.CareRequestStatus) {
        switch status {
        case .pendingTriage: self = .pendingTriage
        case .requested: self = .requested
        case .accepted: self = .accepted
        case .scheduled: self = .scheduled
        case .onRoute: self = .onRoute
        case .onScene: self = .onScene
        case .complete: self = .complete
        case .archived: self = .archived
        }
    }
}

extension CareRequestSource {
    init(_ source: Components.Schemas.CareRequestSource) {
        switch source {
        case .express: self = .express
        case .ossPartner: self = .ossPartner
        case .ossD2m: self = .ossD2M
        case .phone: self = .phone
        }
    }
}

extension TimeWindow {
    init(_ window: Components.Schemas.TimeWindow) { self.init(start: window.start, end: window.end) }
}

extension CareRequestSummary {
    init(_ item: Components.Schemas.CareRequestSummary) throws {
        self.init(
            id: try required(CareRequestID(wire: item.id), "a care request id", item.id),
            patientID: try required(PatientID(wire: item.patientId), "a patient id", item.patientId),
            patientName: item.patientName, status: CareRequestStatus(item.status), serviceLine: item.serviceLine.name,
            market: item.market.name, source: CareRequestSource(item.source), createdAt: item.createdAt,
            createdBy: item.createdByUserId.flatMap(UserID.init(wire:)),
            timeWindow: item.timeWindow.map(TimeWindow.init), eta: item.eta.map(TimeWindow.init))
    }
}

extension Components.Schemas.CareRequestSearch {
    init(_ filter: CareRequestFilter, cursor: String?, limit: Int) {
        let created = filter.createdRange
        self.init(
            phase: .init(filter.phase), statuses: filter.statuses.isEmpty ? nil : filter.statuses.map { .init($0) },
            marketId: filter.market?.wire, createdFrom: created.from, createdBefore: created.before,
            createdByUserId: filter.createdBy?.wire, patientName: filter.patientName, cursor: cursor, limit: limit)
    }
}

extension Components.Schemas.CareRequestStatus {
    init(_ status: CareRequestStatus) {
        switch status {
        case .pendingTriage: self = .pendingTriage
        case .requested: self = .requested
        case .accepted: self = .accepted
        case .scheduled: self = .scheduled
        case .onRoute: self = .onRoute
        case .onScene: self = .onScene
        case .complete: self = .complete
        case .archived: self = .archived
        }
    }
}

extension CareRequestPage {
    init(_ page: Components.Schemas.CareRequestPage) throws {
        self.init(items: try page.items.map(CareRequestSummary.init), nextCursor: page.nextCursor)
    }
}

extension Patient {
    init(_ patient: Components.Schemas.Patient) throws {
        self.init(
            id: try required(PatientID(wire: patient.id), "a patient id", patient.id), givenName: patient.givenName,
            familyName: patient.familyName,
            dateOfBirth: patient.dateOfBirth, phone: patient.phone, mrn: patient.mrn)
    }
}

extension PatientPage {
    init(_ page: Components.Schemas.PatientPage) throws {
        self.init(items: try page.items.map(Patient.init), nextCursor: page.nextCursor)
    }
}

extension CareRequestDetail {
    init(_ request: Components.Schemas.CareRequest) throws {
        let address = request.visitAddress
        self.init(
            id: try required(CareRequestID(wire: request.id), "a care request id", request.id),
            patient: try Patient(request.patient),
            status: CareRequestStatus(request.status), serviceLine: request.serviceLine.name,
            market: request.market.name,
            source: CareRequestSource(request.source), chiefComplaint: request.chiefComplaint,
            visitAddress: VisitAddress(
                line1: address.line1, line2: address.line2, city: address.city, state: address.state, zip: address.zip),
            requester: Requester(
                name: request.requester.name, relationship: request.requester.relationship,
                phone: request.requester.phone),
            timeWindow: request.timeWindow.map(TimeWindow.init), eta: request.eta.map(TimeWindow.init),
            createdAt: request.createdAt,
            createdBy: request.createdByUserId.flatMap(UserID.init(wire:)),
            statusHistory: request.statusHistory.map {
                StatusChange(to: CareRequestStatus($0.to), changedAt: $0.changedAt, reason: $0.reason, actor: $0.actor)
            },
            calendarSequence: request.calendarSequence ?? 0, cancellation: request.cancellation.map(Cancellation.init),
            changeable: request.changeable ?? CareRequestStatus(request.status).isChangeableByRequester)
    }
}

extension Cancellation {
    init(_ cancellation: Components.Schemas.Cancellation) {
        self.init(
            reason: CancellationReason(cancellation.reason), note: cancellation.note,
            cancelledAt: cancellation.cancelledAt, actor: cancellation.actor)
    }
}

extension CancellationReason {
    init(_ reason: Components.Schemas.CancellationReason) {
        switch reason {
        case .hospitalized: self = .hospitalized
        case .noLongerNeeded: self = .noLongerNeeded
        case .scheduledElsewhere: self = .scheduledElsewhere
        case .wrongDetails: self = .wrongDetails
        case .other: self = .other
        }
    }
}

extension Market {
    init(_ market: Components.Schemas.Market) throws {
        self.init(id: try required(MarketID(wire: market.id), "a market id", market.id), name: market.name)
    }
}
