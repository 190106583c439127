import Foundation
import OSSDomain
import StationAPI
import Tagged
import Vocabulary

// Station's generated types to OSS's records and back, at the edge, as Station's own API/Mapping.swift does.

/// An id Station sent, or ``Unavailable`` when it is not one.
func wireID<Tag>(_ text: String) throws -> Tagged<Tag, UUID> {
    guard let id = Tagged<Tag, UUID>(wire: text) else {
        throw Unavailable(service: "Station", description: "Station answered an id that is not a UUID")
    }
    return id
}

extension PostalAddress {
    init(_ a: Components.Schemas.Address) {
        self.init(line1: a.line1, line2: a.line2, city: a.city, state: a.state, zip: a.zip)
    }
}

extension Components.Schemas.Address {
    init(_ a: PostalAddress) {
        self.init(line1: a.line1, line2: a.line2, city: a.city, state: a.state, zip: a.zip)
    }
}

extension PatientRecord {
    init(_ p: Components.Schemas.Patient) throws {
        self.init(
            id: try wireID(p.id), partner: p.partnerId.flatMap(PartnerID.init(wire:)), givenName: p.givenName,
            familyName: p.familyName, dateOfBirth: p.dateOfBirth, address: p.address.map(PostalAddress.init),
            email: p.email)
    }
}

extension Components.Schemas.NewPatient {
    init(_ p: NewPatient) {
        self.init(
            givenName: p.givenName, familyName: p.familyName, dateOfBirth: p.dateOfBirth, sex: .init(p.sex),
            phone: p.phone,
            email: p.email, address: .init(p.address))
    }
}

extension Components.Schemas.Sex {
    init(_ sex: Sex) {
        switch sex {
        case .female: self = .female
        case .male: self = .male
        case .other: self = .other
        case .unknown: self = .unknown
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

extension CareRequestSummary {
    init(_ s: Components.Schemas.CareRequestSummary) throws {
        self.init(
            id: try wireID(s.id), status: .init(s.status), market: try wireID(s.market.id), createdAt: s.createdAt,
            timeWindow: s.timeWindow.map { VisitWindow(start: $0.start, end: $0.end) },
            patient: try wireID(s.patientId))
    }
}

extension CareRequestDetail {
    init(_ c: Components.Schemas.CareRequest) throws {
        self.init(
            id: try wireID(c.id), patient: try wireID(c.patient.id), status: .init(c.status),
            market: try wireID(c.market.id),
            chiefComplaint: c.chiefComplaint, visitAddress: .init(c.visitAddress),
            timeWindow: c.timeWindow.map { VisitWindow(start: $0.start, end: $0.end) },
            partner: try c.partnerId.map(wireID), calendarSequence: c.calendarSequence ?? 0,
            cancellation: c.cancellation.map(CareRequestCancellation.init), changeable: c.changeable,
            serviceLine: ServiceLineID(wire: c.serviceLine.id))
    }
}

extension CareRequestCancellation {
    init(_ c: Components.Schemas.Cancellation) {
        self.init(reason: .init(c.reason), note: c.note, at: c.cancelledAt, actor: c.actor)
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

extension Components.Schemas.CancellationReason {
    init(_ reason: CancellationReason) {
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
    init(_ m: Components.Schemas.Market) throws {
        self.init(id: try wireID(m.id), name: m.name, timeZone: m.timeZone)
    }
}

extension OpenWindow {
    init(_ w: Components.Schemas.TimeWindowAvailability) {
        self.init(start: w.start, end: w.end, remaining: w.remaining, fitsPlan: w.fitsPlan)
    }
}

extension Components.Schemas.Address {
    init(_ a: CareRequestToCreate.Address) {
        self.init(line1: a.line1, line2: a.line2, city: a.city, state: a.state, zip: a.zip)
    }
}

extension Components.Schemas.Person {
    init(_ c: CareRequestToCreate.Contact) {
        self.init(name: c.name, phone: c.phone, relationship: c.relationship)
    }
}

extension Components.Schemas.NewCareRequest {
    init(_ r: CareRequestToCreate, serviceLine: ServiceLineID) {
        let insurance: Components.Schemas.Insurance? =
            switch r.insurance {
            case .selfPay: .init(selfPay: true)
            case .payer(let name, let member, let group):
                .init(selfPay: false, payer: name, memberId: member, groupNumber: group)
            case nil: nil
            }
        let outcome: Components.Schemas.ScreeningOutcome =
            switch r.screening.outcome {
            case .selfSchedule: .selfSchedule
            case .nurseTriage: .nurseTriage
            case .emergency: .emergency
            }
        self.init(
            partnerId: r.partner?.wire, patientId: r.patient.wire, serviceLineId: serviceLine.wire,
            source: r.source == .partner ? .ossPartner : .ossD2m, chiefComplaint: r.chiefComplaint,
            visitAddress: .init(r.visitAddress),
            requester: .init(r.requester),
            screening: .init(
                questionnaireVersion: r.questionnaireVersion, answers: .init(additionalProperties: r.screening.answers),
                outcome: outcome, reasonCodes: r.screening.reasonCodes),
            insurance: insurance, powerOfAttorney: r.powerOfAttorney.map(Components.Schemas.Person.init),
            callbackContact: r.callbackContact.map(Components.Schemas.Person.init),
            timeWindow: r.timeWindow.map { .init(start: $0.start, end: $0.end) }, createdByUserId: r.createdBy?.wire,
            synthetic: r.synthetic ? true : nil)
    }
}
