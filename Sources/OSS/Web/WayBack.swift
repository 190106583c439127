import Foundation
import Vocabulary

/// The way back to Express from the partner app, with an outcome Express reads: `created`, `cancelled`,
/// `emergency`, `rescheduled` or `unchanged` (a change, with its `care_request_id`), or `error` with a `reason`
/// code (Express owns the words; no free text rides in the URL).
enum WayBack {
    /// Why the partner app could not go on.
    enum Reason: String {
        case invalidLink = "invalid_link"
        case wrongUser = "wrong_user"
        case expired
        case patientNotFound = "patient_not_found"
        case notAllowed = "not_allowed"
        case unavailable, closed
        case notFound = "not_found"
    }

    /// `returnURL` (the handoff's, on an allow-listed Express origin) or Express's return page, with the outcome.
    static func express(
        _ returnURL: String?, expressURL: String, outcome: String, reason: Reason? = nil,
        careRequest: CareRequestID? = nil
    ) -> String {
        var parameters = ["outcome": outcome]
        if let reason { parameters["reason"] = reason.rawValue }
        if let careRequest { parameters["care_request_id"] = careRequest.wire }
        return DraftController.returnURL(returnURL ?? expressURL + "/care-requests/returned", parameters)
    }

    static func error(_ reason: Reason, returnURL: String? = nil, expressURL: String) -> String {
        express(returnURL, expressURL: expressURL, outcome: "error", reason: reason)
    }
}
