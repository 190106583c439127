import Foundation
import Platform
import StationAPI
import StationDomain
import Tagged
import Vocabulary

// Generated API types to domain types and back, at the boundary only.

/// A raw value that names no case of the enum it should map to: the document and the domain (or a stored
/// row) have drifted apart. An error answered as a logged 500, never a trap; MappingTests pair every case.
struct UnmappedCase: Error, CustomStringConvertible {
    var type: String
    var raw: String
    var description: String { "\(type) has no case \(raw)" }
}

extension RawRepresentable where RawValue == String {
    /// The case whose raw value is `raw`, between generated, domain and stored enums.
    init(mapping raw: String) throws(UnmappedCase) {
        guard let value = Self(rawValue: raw) else { throw UnmappedCase(type: "\(Self.self)", raw: raw) }
        self = value
    }
}

extension Components.Schemas.Address {
    init(_ a: Address) { self.init(line1: a.line1, line2: a.line2, city: a.city, state: a.state, zip: a.zip) }
}

extension Address {
    init(_ a: Components.Schemas.Address) {
        self.init(
            line1: a.line1.trimmingCharacters(in: .whitespaces), line2: a.line2,
            city: a.city.trimmingCharacters(in: .whitespaces),
            state: a.state.uppercased(), zip: a.zip.trimmingCharacters(in: .whitespaces))
    }
}

extension Components.Schemas.Person {
    init(_ p: Person) { self.init(name: p.name, phone: p.phone.nilIfEmpty, relationship: p.relationship) }
}

extension Person {
    /// An empty phone is no phone: the request then stores none, never a stand-in number.
    init(_ p: Components.Schemas.Person) {
        self.init(name: p.name, phone: p.phone.nilIfEmpty, relationship: p.relationship)
    }
}

extension Components.Schemas.Screening {
    init(_ s: Screening) throws {
        self.init(
            questionnaireVersion: s.questionnaireVersion, answers: .init(additionalProperties: s.answers),
            outcome: try .init(mapping: s.outcome.rawValue), reasonCodes: s.reasonCodes)
    }
}

extension Screening {
    init(_ s: Components.Schemas.Screening) throws {
        self.init(
            questionnaireVersion: s.questionnaireVersion, answers: s.answers.additionalProperties,
            outcome: try .init(mapping: s.outcome.rawValue), reasonCodes: s.reasonCodes)
    }
}

extension Components.Schemas.Insurance {
    init(_ i: Insurance) {
        self.init(selfPay: i.selfPay, payer: i.payer, memberId: i.memberID, groupNumber: i.groupNumber)
    }
}

extension Insurance {
    init(_ i: Components.Schemas.Insurance) {
        self.init(selfPay: i.selfPay, payer: i.payer, memberID: i.memberId, groupNumber: i.groupNumber)
    }
}

extension Components.Schemas.TimeWindow {
    init(_ w: DateInterval) { self.init(start: w.start, end: w.end) }
}

extension DateInterval {
    init(validating w: Components.Schemas.TimeWindow, field: String) throws {
        guard w.end > w.start else {
            throw Problem.validation([.init(field: "\(field).end", message: "must be after \(field).start")])
        }
        self.init(start: w.start, end: w.end)
    }
}

extension Components.Schemas.TimeWindowAvailability {
    init(_ a: WindowAvailability) {
        self.init(start: a.window.start, end: a.window.end, capacity: a.capacity, remaining: a.remaining)
    }
}

extension Components.Schemas.Market {
    init(_ m: MarketModel) throws {
        self.init(
            id: MarketID(try m.requireID()).wire, name: m.name, state: m.state, timeZone: m.timeZone,
            zipCodes: m.zipCodes,
            opensAt: m.opensAt, closesAt: m.closesAt, windowMinutes: m.windowMinutes,
            capacityPerWindow: m.capacityPerWindow, roadFactor: m.roadFactor, averageSpeedMph: m.averageSpeedMph)
    }
}

extension Components.Schemas.Patient {
    init(_ p: Patient) throws {
        let d = p.details
        self.init(
            id: p.id.wire, partnerId: p.partnerID?.wire, givenName: d.givenName,
            familyName: d.familyName, dateOfBirth: d.dateOfBirth, sex: try .init(mapping: d.sex.rawValue),
            phone: d.phone, email: d.email, address: d.address.map(Components.Schemas.Address.init), mrn: d.mrn,
            createdAt: p.createdAt)
    }
}

extension NewPatient {
    init(_ p: Components.Schemas.NewPatient) throws {
        self.init(
            givenName: p.givenName, familyName: p.familyName, dateOfBirth: p.dateOfBirth,
            sex: try .init(mapping: p.sex.rawValue), phone: p.phone, email: p.email,
            address: p.address.map(Address.init), mrn: p.mrn)
    }
}

extension NewCareRequest {
    /// Parses ids and windows, reporting every bad field at once.
    init(_ b: Components.Schemas.NewCareRequest) throws {
        var errors = [Problem.FieldError]()
        func id<Tag>(_ raw: String?, _ field: String) -> Tagged<Tag, UUID>? {
            guard let raw else { return nil }
            guard let id = Tagged<Tag, UUID>(wire: raw) else {
                errors.append(.init(field: field, message: "must be a UUID"))
                return nil
            }
            return id
        }
        let partner: PartnerID? = id(b.partnerId, "partner_id")
        let patient: PatientID? = id(b.patientId, "patient_id")
        let line: ServiceLineID? = id(b.serviceLineId, "service_line_id")
        var window: DateInterval?
        if let w = b.timeWindow {
            if w.end > w.start {
                window = DateInterval(start: w.start, end: w.end)
            } else {
                errors.append(.init(field: "time_window.end", message: "must be after time_window.start"))
            }
        }
        guard errors.isEmpty, let patient, let line else { throw Problem.validation(errors) }
        self.init(
            partnerID: partner, patientID: patient, serviceLineID: line,
            source: try .init(mapping: b.source.rawValue), chiefComplaint: b.chiefComplaint,
            visitAddress: Address(b.visitAddress), requester: Person(b.requester),
            screening: try Screening(b.screening),
            insurance: b.insurance.map(Insurance.init), powerOfAttorney: b.powerOfAttorney.map(Person.init),
            callbackContact: b.callbackContact.map(Person.init), timeWindow: window,
            createdByUserID: b.createdByUserId, synthetic: b.synthetic ?? false)
    }
}

extension Components.Schemas.CareRequestPage {
    init(_ page: Page<CareRequestListItem>) throws {
        self.init(
            items: try page.items.map { item in
                Components.Schemas.CareRequestSummary(
                    id: item.id.wire, partnerId: item.partnerID?.wire, patientId: item.patientID.wire,
                    patientName: item.patientName, status: try .init(mapping: item.status),
                    serviceLine: .init(id: item.serviceLineID.wire, name: item.serviceLineName),
                    market: .init(id: item.marketID.wire, name: item.marketName),
                    source: try .init(mapping: item.source), createdAt: item.createdAt,
                    createdByUserId: item.createdByUserID,
                    timeWindow: item.timeWindow.map(Components.Schemas.TimeWindow.init),
                    eta: item.eta.map(Components.Schemas.TimeWindow.init))
            }, nextCursor: page.nextCursor?.encoded)
    }
}

extension Components.Schemas.CareRequest {
    init(_ r: CareRequestRecord) throws {
        let c = try r.model.domain()
        let given = c.request
        self.init(
            id: c.id.wire, partnerId: given.partnerID?.wire, patient: try .init(r.patient),
            status: try .init(mapping: c.status.rawValue),
            serviceLine: .init(id: given.serviceLineID.wire, name: r.serviceLine.name),
            market: .init(id: c.marketID.wire, name: r.market.name), source: try .init(mapping: given.source.rawValue),
            chiefComplaint: given.chiefComplaint, visitAddress: .init(given.visitAddress),
            requester: .init(given.requester),
            hasCallbackNumber: c.hasCallbackNumber,
            screening: try .init(given.screening), insurance: given.insurance.map(Components.Schemas.Insurance.init),
            powerOfAttorney: given.powerOfAttorney.map(Components.Schemas.Person.init),
            callbackContact: given.callbackContact.map(Components.Schemas.Person.init),
            timeWindow: given.timeWindow.map(Components.Schemas.TimeWindow.init),
            eta: c.eta.map(Components.Schemas.TimeWindow.init),
            createdByUserId: given.createdByUserID, createdAt: c.createdAt, updatedAt: c.updatedAt,
            calendarSequence: c.calendarSequence,
            cancellation: try c.cancellation.map(Components.Schemas.Cancellation.init),
            changeable: c.isChangeable,
            statusHistory: try r.history.map {
                .init(
                    from: try $0.from.map { try Components.Schemas.CareRequestStatus(mapping: $0.rawValue) },
                    to: try .init(mapping: $0.to.rawValue),
                    actor: $0.actor, reason: $0.reason, changedAt: $0.changedAt)
            })
    }
}
