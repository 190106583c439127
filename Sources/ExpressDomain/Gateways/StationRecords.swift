import Foundation
import Vocabulary

// What Express reads from Station, in Express's words: plain values with typed ids. The live gateway maps
// Station's generated types to these at the edge (Live/StationMapping.swift); nothing else sees them.

/// A start and an end, as Station keeps time windows and ETAs.
package struct TimeWindow: Sendable, Equatable {
    package var start: Date
    package var end: Date

    package init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }
}

/// A care request as a row of the partner's list.
package struct CareRequestSummary: Sendable, Equatable {
    package var id: CareRequestID
    package var patientID: PatientID
    package var patientName: String
    package var status: CareRequestStatus
    package var serviceLine: String
    package var market: String
    package var source: CareRequestSource
    package var createdAt: Date
    /// The Express user Station recorded as the creator (OSS sends it), when it is one.
    package var createdBy: UserID?
    /// The visit's time window and the arrival estimate, once they exist.
    package var timeWindow: TimeWindow?
    package var eta: TimeWindow?

    package init(
        id: CareRequestID, patientID: PatientID, patientName: String, status: CareRequestStatus, serviceLine: String,
        market: String, source: CareRequestSource, createdAt: Date, createdBy: UserID? = nil,
        timeWindow: TimeWindow? = nil, eta: TimeWindow? = nil
    ) {
        self.id = id
        self.patientID = patientID
        self.patientName = patientName
        self.status = status
        self.serviceLine = serviceLine
        self.market = market
        self.source = source
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.timeWindow = timeWindow
        self.eta = eta
    }
}

/// One page of a partner's care requests; `nextCursor` is Station's, opaque to Express.
package struct CareRequestPage: Sendable, Equatable {
    package var items: [CareRequestSummary]
    package var nextCursor: String?

    package init(items: [CareRequestSummary], nextCursor: String? = nil) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

/// A patient of the partner, as search finds them.
package struct Patient: Sendable, Equatable {
    package var id: PatientID
    package var givenName: String
    package var familyName: String
    /// As Station writes it (YYYY-MM-DD).
    package var dateOfBirth: String
    package var phone: String?
    /// The partner's medical record number.
    package var mrn: String?

    package var name: String { "\(givenName) \(familyName)" }

    package init(
        id: PatientID, givenName: String, familyName: String, dateOfBirth: String, phone: String? = nil,
        mrn: String? = nil
    ) {
        self.id = id
        self.givenName = givenName
        self.familyName = familyName
        self.dateOfBirth = dateOfBirth
        self.phone = phone
        self.mrn = mrn
    }
}

/// One page of patient search results; `nextCursor` is Station's, opaque to Express.
package struct PatientPage: Sendable, Equatable {
    package var items: [Patient]
    package var nextCursor: String?

    package init(items: [Patient], nextCursor: String? = nil) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

/// Where the visit takes place.
package struct VisitAddress: Sendable, Equatable {
    package var line1: String
    package var line2: String?
    package var city: String
    package var state: String
    package var zip: String

    package init(line1: String, line2: String? = nil, city: String, state: String, zip: String) {
        self.line1 = line1
        self.line2 = line2
        self.city = city
        self.state = state
        self.zip = zip
    }
}

/// The person who asked for the visit.
package struct Requester: Sendable, Equatable {
    package var name: String
    package var relationship: String?
    package var phone: String?

    package init(name: String, relationship: String? = nil, phone: String? = nil) {
        self.name = name
        self.relationship = relationship
        self.phone = phone
    }
}

/// One step of a care request's history.
package struct StatusChange: Sendable, Equatable {
    package var to: CareRequestStatus
    package var changedAt: Date
    package var reason: String?
    /// Who made the change, as Station recorded it: an Express user's id when one of the partner's users made it
    /// through OSS, else a staff member's name or a service's client id.
    package var actor: String?

    package init(to: CareRequestStatus, changedAt: Date, reason: String? = nil, actor: String? = nil) {
        self.to = to
        self.changedAt = changedAt
        self.reason = reason
        self.actor = actor
    }
}

/// How and when a care request was cancelled by its partner or patient.
package struct Cancellation: Sendable, Equatable {
    package var reason: CancellationReason
    /// Free text the person who cancelled added; shown on the detail page only.
    package var note: String?
    package var cancelledAt: Date
    /// As ``StatusChange/actor``.
    package var actor: String

    package init(reason: CancellationReason, note: String? = nil, cancelledAt: Date, actor: String) {
        self.reason = reason
        self.note = note
        self.cancelledAt = cancelledAt
        self.actor = actor
    }
}

/// A care request with what a partner user may see of it.
package struct CareRequestDetail: Sendable, Equatable {
    package var id: CareRequestID
    package var patient: Patient
    package var status: CareRequestStatus
    package var serviceLine: String
    package var market: String
    package var source: CareRequestSource
    package var chiefComplaint: String
    package var visitAddress: VisitAddress
    package var requester: Requester
    package var timeWindow: TimeWindow?
    package var eta: TimeWindow?
    package var createdAt: Date
    /// The Express user Station recorded as the creator (OSS sends it), when it is one.
    package var createdBy: UserID?
    package var statusHistory: [StatusChange]
    /// The iCalendar SEQUENCE of the visit's event (Station raises it at each reschedule and the cancellation).
    package var calendarSequence: Int
    /// Set once the partner or patient cancelled it.
    package var cancellation: Cancellation?
    /// Whether its partner may still reschedule or cancel it (Station's answer: not on the way yet, not ended).
    package var changeable: Bool

    package init(
        id: CareRequestID, patient: Patient, status: CareRequestStatus, serviceLine: String, market: String,
        source: CareRequestSource, chiefComplaint: String, visitAddress: VisitAddress, requester: Requester,
        timeWindow: TimeWindow? = nil, eta: TimeWindow? = nil, createdAt: Date, createdBy: UserID? = nil,
        statusHistory: [StatusChange] = [], calendarSequence: Int = 0, cancellation: Cancellation? = nil,
        changeable: Bool = false
    ) {
        self.id = id
        self.patient = patient
        self.status = status
        self.serviceLine = serviceLine
        self.market = market
        self.source = source
        self.chiefComplaint = chiefComplaint
        self.visitAddress = visitAddress
        self.requester = requester
        self.timeWindow = timeWindow
        self.eta = eta
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.statusHistory = statusHistory
        self.calendarSequence = calendarSequence
        self.cancellation = cancellation
        self.changeable = changeable
    }
}

/// A market Station serves.
package struct Market: Sendable, Equatable {
    package var id: MarketID
    package var name: String

    package init(id: MarketID, name: String) {
        self.id = id
        self.name = name
    }
}

extension CareRequestDetail {
    /// Whether its partner may move it to another window online: only while Station says it may change and it
    /// has a window to move (a request waiting for a nurse's call gets its time from the nurse; it may only be
    /// cancelled).
    package var mayReschedule: Bool { changeable && timeWindow != nil }

    /// Whether the change `intent` names may be made online now.
    package func allows(_ intent: HandoffIntent) -> Bool {
        switch intent {
        case .new: false
        case .reschedule: mayReschedule
        case .cancel: changeable
        }
    }
}
