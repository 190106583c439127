import Fluent
import Foundation
import StationDomain
import Vocabulary

final class CareRequestModel: Model, @unchecked Sendable {
    static let schema = "care_requests"

    @ID(key: .id) var id: UUID?
    @OptionalField(key: "partner_id") var partnerID: UUID?
    @Field(key: "patient_id") var patientID: UUID
    @Field(key: "market_id") var marketID: UUID
    @Field(key: "service_line_id") var serviceLineID: UUID
    @Field(key: "source") var source: String
    @Field(key: "status") var status: String
    /// `current` or `past`, kept with the status so lists filter on an index.
    @Field(key: "phase") var phase: String
    @Field(key: "chief_complaint") var chiefComplaint: String
    @Field(key: "visit_address") var visitAddress: Address
    @Field(key: "requester") var requester: Person
    @Field(key: "screening") var screening: Screening
    @OptionalField(key: "insurance") var insurance: Insurance?
    @OptionalField(key: "power_of_attorney") var powerOfAttorney: Person?
    @OptionalField(key: "callback_contact") var callbackContact: Person?
    @OptionalField(key: "window_start") var windowStart: Date?
    @OptionalField(key: "window_end") var windowEnd: Date?
    @OptionalField(key: "eta_start") var etaStart: Date?
    @OptionalField(key: "eta_end") var etaEnd: Date?
    @OptionalField(key: "created_by_user_id") var createdByUserID: String?
    /// Made by synthetic monitoring: archived at once and left out of every list.
    @Field(key: "synthetic") var synthetic: Bool
    /// Creation time in epoch milliseconds: the exact, portable sort key of every list.
    @Field(key: "created_ms") var createdMs: Int64
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    /// The iCalendar SEQUENCE of the visit's event: one more at each reschedule and at the cancellation.
    @Field(key: "calendar_sequence") var calendarSequence: Int
    @OptionalField(key: "cancel_reason") var cancelReason: String?
    @OptionalField(key: "cancel_note") var cancelNote: String?
    @OptionalField(key: "cancelled_at") var cancelledAt: Date?
    @OptionalField(key: "cancelled_by") var cancelledBy: String?
    /// Minutes a dispatcher said the visit runs longer than its service line's visits (a team running late).
    @OptionalField(key: "extra_visit_minutes") var extraVisitMinutes: Int?
    /// The care team a dispatcher pinned the visit to: the planner gives it to no other team.
    @OptionalField(key: "pinned_care_team_id") var pinnedCareTeamID: UUID?
    /// Who pinned it (the dispatcher's name); nil when it is not pinned.
    @OptionalField(key: "pinned_by") var pinnedBy: String?

    init() {}

    func setStatus(_ status: CareRequestStatus) {
        self.status = status.rawValue
        self.phase = status.phase.rawValue
    }

    var statusValue: CareRequestStatus { CareRequestStatus(rawValue: status) ?? .requested }

    var timeWindow: DateInterval? { Self.interval(windowStart, windowEnd) }

    var eta: DateInterval? { Self.interval(etaStart, etaEnd) }

    /// The interval of two stored ends: none unless both are there and the end comes after the start.
    static func interval(_ start: Date?, _ end: Date?) -> DateInterval? {
        guard let start, let end, end > start else { return nil }
        return DateInterval(start: start, end: end)
    }

    /// The stored request as the domain sees it; a status or source the domain lacks is an error, never a guess.
    func domain() throws -> CareRequest {
        let request = NewCareRequest(
            partnerID: partnerID.map { PartnerID($0) }, patientID: PatientID(patientID),
            serviceLineID: ServiceLineID(serviceLineID),
            source: try CareRequestSource(mapping: source), chiefComplaint: chiefComplaint, visitAddress: visitAddress,
            requester: requester, screening: screening, insurance: insurance, powerOfAttorney: powerOfAttorney,
            callbackContact: callbackContact, timeWindow: timeWindow, createdByUserID: createdByUserID,
            synthetic: synthetic)
        return CareRequest(
            id: CareRequestID(try requireID()), marketID: MarketID(marketID),
            status: try CareRequestStatus(mapping: status),
            request: request, eta: eta, createdAt: createdAt, updatedAt: updatedAt,
            calendarSequence: calendarSequence, cancellation: try cancellation())
    }

    private func cancellation() throws -> Cancellation? {
        guard let cancelReason, let cancelledAt else { return nil }
        return Cancellation(
            reason: try CancellationReason(mapping: cancelReason), note: cancelNote, at: cancelledAt,
            actor: cancelledBy ?? "")
    }
}
