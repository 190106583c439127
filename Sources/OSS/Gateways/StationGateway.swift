import Foundation
import OSSDomain
import Vocabulary

/// What OSS asks of Station, the system of record, in OSS's words. Refusals a person can fix come back as
/// ``StationRefusal``; Station not answering (or answering nonsense) as ``Unavailable``.
package protocol StationGateway: Sendable {
    /// A patient's record, nil when Station does not know them.
    func patient(_ id: PatientID) async throws -> PatientRecord?
    /// A partner's patient, nil when the partner has no such patient (another partner's looks the same).
    func patient(_ id: PatientID, of partner: PartnerID) async throws -> PatientRecord?
    /// Creates a patient for `partner`, or one who schedules for themselves when `partner` is nil.
    func createPatient(_ patient: NewPatient, for partner: PartnerID?) async throws -> PatientRecord
    /// One page (at most `limit`) of the care requests of `patients` (1 to 20: the people one account schedules
    /// for) together, newest first, after `cursor` (the previous page's ``CareRequestPage/nextCursor``); empty when
    /// Station has none for them (or does not know one of them). A cursor Station does not accept is a
    /// ``StationRefusal`` (400).
    func careRequests(of patients: [PatientID], cursor: String?, limit: Int) async throws -> CareRequestPage
    /// One care request, nil when Station does not know it.
    func careRequest(_ id: CareRequestID) async throws -> CareRequestDetail?
    /// Creates the care request for `serviceLine` once per draft (its `idempotencyKey`), however often it is retried.
    func createCareRequest(_ request: CareRequestToCreate, serviceLine: ServiceLineID) async throws -> CareRequestID
    func serviceLines() async throws -> [ServiceLine]
    func markets() async throws -> [Market]
    /// The market that visits `zip`, nil when none does.
    func market(servingZip zip: String) async throws -> Market?
    /// The time windows of `market` between two days (`yyyy-MM-dd`, in the market's zone); with `visit`, each window
    /// with room says whether the day's dispatch plan can still take that visit (``OpenWindow/fitsPlan``).
    func windows(in market: MarketID, from: String, to: String, for visit: PlannedVisitPlace?) async throws
        -> [OpenWindow]
    /// Cancels a care request that has not started, once per `idempotencyKey`; the request as it is afterwards.
    /// A closed change, a request Station does not find for `requester`, or a refused field is a ``StationRefusal``.
    func cancel(
        _ id: CareRequestID, reason: CancellationReason, note: String?, by requester: ChangeRequester,
        idempotencyKey: String
    ) async throws -> CareRequestDetail
    /// Moves a care request to `window` (and `visitAddress`, perhaps in another market), once per `idempotencyKey`.
    /// A full window is a 409 ``StationRefusal`` with the next windows.
    func reschedule(
        _ id: CareRequestID, to window: VisitWindow, visitAddress: PostalAddress?, by requester: ChangeRequester,
        idempotencyKey: String
    ) async throws -> CareRequestDetail
}

/// Who changes a care request, as Station checks and records it: the partner (or the patient, for their own
/// request) it must belong to, and the person acting (an Express user id or a patient's account).
package struct ChangeRequester: Equatable, Sendable {
    package enum Scope: Equatable, Sendable {
        case partner(PartnerID)
        case patient(PatientID)
    }

    package var scope: Scope
    package var onBehalfOf: String

    package init(scope: Scope, onBehalfOf: String) {
        self.scope = scope
        self.onBehalfOf = onBehalfOf
    }
}

/// Station refused a request for a reason the user can fix (a full window, a bad field).
package struct StationRefusal: Error {
    package var status: Int
    package var detail: String
    package var fields: [String]
    package var nextWindows: [OpenWindow]
    /// Station's message for each refused field, keyed by the OSS form field it belongs to.
    package var messages: [String: String] = [:]
    /// Station's problem type (a stable URI), when it named one.
    package var type: String?
    /// For a change that is closed (the visit has started or ended): the number to call.
    package var supportPhone: String?

    package init(
        status: Int, detail: String, fields: [String], nextWindows: [OpenWindow], messages: [String: String] = [:],
        type: String? = nil, supportPhone: String? = nil
    ) {
        self.status = status
        self.detail = detail
        self.fields = fields
        self.nextWindows = nextWindows
        self.messages = messages
        self.type = type
        self.supportPhone = supportPhone
    }

    package static let changeClosedType = "https://selfscheduling.example/problems/change-closed"

    /// The request has started or ended: only a phone call changes it now.
    package var isChangeClosed: Bool { status == 409 && type == Self.changeClosedType }
}

package struct PostalAddress: Equatable, Sendable {
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

package enum Sex: String, Sendable, CaseIterable {
    case female, male, other, unknown
}

/// A patient as Station keeps them (what OSS shows and prefills).
package struct PatientRecord: Equatable, Sendable {
    package var id: PatientID
    /// The partner whose patient this is; nil for a patient who schedules for themselves.
    package var partner: PartnerID?
    package var givenName: String
    package var familyName: String
    /// `yyyy-MM-dd`.
    package var dateOfBirth: String
    package var address: PostalAddress?
    /// Where a patient who schedules for themselves hears about their requests (their account's email).
    package var email: String?

    package init(
        id: PatientID, partner: PartnerID?, givenName: String, familyName: String, dateOfBirth: String,
        address: PostalAddress?, email: String? = nil
    ) {
        self.id = id
        self.partner = partner
        self.givenName = givenName
        self.familyName = familyName
        self.dateOfBirth = dateOfBirth
        self.address = address
        self.email = email
    }
}

package struct NewPatient: Equatable, Sendable {
    package var givenName: String
    package var familyName: String
    package var dateOfBirth: String
    package var sex: Sex
    package var phone: String?
    package var email: String?
    package var address: PostalAddress

    package init(
        givenName: String, familyName: String, dateOfBirth: String, sex: Sex, phone: String?, email: String?,
        address: PostalAddress
    ) {
        self.givenName = givenName
        self.familyName = familyName
        self.dateOfBirth = dateOfBirth
        self.sex = sex
        self.phone = phone
        self.email = email
        self.address = address
    }
}

package struct CareRequestSummary: Equatable, Sendable {
    package var id: CareRequestID
    package var status: CareRequestStatus
    package var market: MarketID
    package var createdAt: Date
    package var timeWindow: VisitWindow?
    /// Whose request it is.
    package var patient: PatientID?

    package init(
        id: CareRequestID, status: CareRequestStatus, market: MarketID, createdAt: Date, timeWindow: VisitWindow? = nil,
        patient: PatientID? = nil
    ) {
        self.patient = patient
        self.id = id
        self.status = status
        self.market = market
        self.createdAt = createdAt
        self.timeWindow = timeWindow
    }
}

/// One page of care requests, and the cursor of the next one (nil on the last page). A cursor is Station's opaque
/// keyset position, never personal data.
package struct CareRequestPage: Equatable, Sendable {
    package var items: [CareRequestSummary]
    package var nextCursor: String?

    package init(items: [CareRequestSummary], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

extension StationGateway {
    /// The service line of the visits OSS books: acute care (the dispatcher may change the line later).
    func selfScheduledLine() async throws -> ServiceLineID {
        let lines = try await serviceLines()
        guard let line = lines.first(where: { $0.name == "Acute care" }) ?? lines.first else {
            throw Unavailable(service: "Station", description: "no service lines")
        }
        return line.id
    }
}

/// What a patient (or the partner who made it) sees of a care request.
package struct CareRequestDetail: Equatable, Sendable {
    package var id: CareRequestID
    package var patient: PatientID
    package var status: CareRequestStatus
    package var market: MarketID
    package var chiefComplaint: String
    package var visitAddress: PostalAddress
    package var timeWindow: VisitWindow?
    /// The partner that made it; nil for a patient's own request.
    package var partner: PartnerID?
    /// The iCalendar SEQUENCE of the visit: 0 when made, one more at each reschedule and at the cancellation.
    package var calendarSequence: Int
    /// Why and when it was cancelled; nil while it is not.
    package var cancellation: CareRequestCancellation?
    /// Whether its partner or patient may still reschedule or cancel it (Station's answer).
    package var changeable: Bool
    /// Its service line, as Station names it (nil in tests that leave it out): a reschedule offers windows the
    /// dispatch plan fits for it.
    package var serviceLine: ServiceLineID?

    package init(
        id: CareRequestID, patient: PatientID, status: CareRequestStatus, market: MarketID, chiefComplaint: String,
        visitAddress: PostalAddress, timeWindow: VisitWindow?, partner: PartnerID? = nil, calendarSequence: Int = 0,
        cancellation: CareRequestCancellation? = nil, changeable: Bool? = nil, serviceLine: ServiceLineID? = nil
    ) {
        self.serviceLine = serviceLine
        self.id = id
        self.patient = patient
        self.status = status
        self.market = market
        self.chiefComplaint = chiefComplaint
        self.visitAddress = visitAddress
        self.timeWindow = timeWindow
        self.partner = partner
        self.calendarSequence = calendarSequence
        self.cancellation = cancellation
        self.changeable = changeable ?? status.isChangeableByRequester
    }
}

/// A care request's cancellation as Station recorded it. The note is free text: shown to its owner, never logged.
package struct CareRequestCancellation: Equatable, Sendable {
    package var reason: CancellationReason
    package var note: String?
    package var at: Date
    /// Who cancelled it, as Station recorded them (an Express user id, a patient's account, a staff member).
    package var actor: String

    package init(reason: CancellationReason, note: String?, at: Date, actor: String) {
        self.reason = reason
        self.note = note
        self.at = at
        self.actor = actor
    }
}

package struct ServiceLine: Equatable, Sendable {
    package var id: ServiceLineID
    package var name: String

    package init(id: ServiceLineID, name: String) {
        self.id = id
        self.name = name
    }
}

package struct Market: Equatable, Sendable {
    package var id: MarketID
    package var name: String
    /// The IANA zone the market's visits are kept in.
    package var timeZone: String

    package init(id: MarketID, name: String, timeZone: String) {
        self.id = id
        self.name = name
        self.timeZone = timeZone
    }
}

/// A visit window and how many visits it still takes.
package struct OpenWindow: Equatable, Sendable {
    package var start: Date
    package var end: Date
    package var remaining: Int
    /// Whether the day's dispatch plan can still take the visit asked about; nil when not asked or the market plans
    /// no routes.
    package var fitsPlan: Bool?

    package init(start: Date, end: Date, remaining: Int, fitsPlan: Bool? = nil) {
        self.start = start
        self.end = end
        self.remaining = remaining
        self.fitsPlan = fitsPlan
    }

    /// Offered to the person: it has room and the care teams can still make the visit there (the capacity is a
    /// ceiling).
    package var isOffered: Bool { remaining > 0 && fitsPlan != false }
}

/// Where a visit would be and what it is, for windows that the dispatch plan can still fit.
package struct PlannedVisitPlace: Equatable, Sendable {
    package var zip: String
    package var serviceLine: ServiceLineID
    /// The request being rescheduled, whose own visit does not count against its new window.
    package var rescheduling: CareRequestID?

    package init(zip: String, serviceLine: ServiceLineID, rescheduling: CareRequestID? = nil) {
        self.zip = zip
        self.serviceLine = serviceLine
        self.rescheduling = rescheduling
    }
}

/// A visit's time window as Station keeps it.
package struct VisitWindow: Equatable, Sendable {
    package var start: Date
    package var end: Date

    package init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }
}
