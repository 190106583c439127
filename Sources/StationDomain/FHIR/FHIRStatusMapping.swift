import Vocabulary

/// FHIR R4 `ServiceRequest.status` (value set request-status): where a care request stands, as an EHR reads it.
package enum FHIRServiceRequestStatus: String, CaseIterable, Sendable {
    case draft
    case active
    case onHold = "on-hold"
    case revoked
    case completed
    case enteredInError = "entered-in-error"
    case unknown

    /// Every open request is `active`; a completed visit `completed`; an archived request (cancelled, or closed
    /// without a visit) `revoked`.
    package init(_ status: CareRequestStatus) {
        self =
            switch status {
            case .pendingTriage, .requested, .accepted, .scheduled, .onRoute, .onScene: .active
            case .complete: .completed
            case .archived: .revoked
            }
    }

    /// Our statuses shown as this one: what the `status` search parameter matches (none for codes we never use).
    package var careRequestStatuses: Set<CareRequestStatus> {
        Set(CareRequestStatus.allCases.filter { Self($0) == self })
    }
}

/// FHIR R4 `Appointment.status` (value set appointmentstatus): the visit a care request's window or arrival
/// estimate describes.
package enum FHIRAppointmentStatus: String, CaseIterable, Sendable {
    case proposed
    case pending
    case booked
    case arrived
    case fulfilled
    case cancelled
    case noshow
    case enteredInError = "entered-in-error"
    case checkedIn = "checked-in"
    case waitlist

    package init(_ status: CareRequestStatus) {
        self =
            switch status {
            case .pendingTriage, .requested: .proposed
            case .accepted: .pending
            case .scheduled, .onRoute: .booked
            case .onScene: .arrived
            case .complete: .fulfilled
            case .archived: .cancelled
            }
    }

    /// The status of the request's Appointment, nil when there is none: a visit is only described once the
    /// request has a time window or an arrival estimate.
    package static func of(_ status: CareRequestStatus, hasWindow: Bool, hasETA: Bool) -> Self? {
        hasWindow || hasETA ? Self(status) : nil
    }

    package var careRequestStatuses: Set<CareRequestStatus> {
        Set(CareRequestStatus.allCases.filter { Self($0) == self })
    }
}

/// The `status` search parameter: each value a comma-separated list of FHIR codes (any of them), repeated
/// parameters all holding (FHIR's AND). The result is our statuses that match, nil when no status was asked.
package enum FHIRStatusSearch {
    package struct UnknownCode: Error, Equatable, Sendable {
        package var code: String

        package init(code: String) { self.code = code }
    }

    package static func serviceRequest(_ values: [String]) throws(UnknownCode) -> Set<CareRequestStatus>? {
        try statuses(values) { FHIRServiceRequestStatus(rawValue: $0)?.careRequestStatuses }
    }

    package static func appointment(_ values: [String]) throws(UnknownCode) -> Set<CareRequestStatus>? {
        try statuses(values) { FHIRAppointmentStatus(rawValue: $0)?.careRequestStatuses }
    }

    private static func statuses(
        _ values: [String], _ ours: (String) -> Set<CareRequestStatus>?
    ) throws(UnknownCode) -> Set<CareRequestStatus>? {
        var result: Set<CareRequestStatus>?
        for value in values {
            var any: Set<CareRequestStatus> = []
            for code in value.split(separator: ",", omittingEmptySubsequences: false) {
                // A token may name its system (`system|code`); FHIR's status codes have one system per element.
                let text = String(code.split(separator: "|", omittingEmptySubsequences: false).last ?? code)
                guard let statuses = ours(text) else { throw UnknownCode(code: String(code)) }
                any.formUnion(statuses)
            }
            result = result.map { $0.intersection(any) } ?? any
        }
        return result
    }
}
