import Vocabulary

/// What OSS says happened when it sends the browser back to `/care-requests/returned`. The query string is
/// anyone's to write: only these values are read, shown or counted; anything else is `.unknown`.
package enum ReturnOutcome: String, Sendable, CaseIterable {
    case created, error, unknown
    /// With a `care_request_id`, that request was cancelled; without, the new request was abandoned (nothing made).
    case cancelled
    /// A request's time was changed; `care_request_id` names it.
    case rescheduled
    /// The user left a change without making it ("Keep it as it is"); `care_request_id` names the request.
    case unchanged
    /// An emergency sign ended the flow (`needs_call` is its older name, still in links made before).
    case emergency
    case needsCall = "needs_call"

    package init(_ raw: String?) { self = raw.flatMap(Self.init(rawValue:)) ?? .unknown }
}

/// What Express says when the browser comes back from changing a request in OSS. Built from the request as
/// Station has it now, never from the query string: an outcome that did not happen cannot make Express claim it.
package struct ChangeReport: Sendable, Equatable {
    package enum Kind: String, Sendable { case success, info }

    package var kind: Kind
    package var message: String

    /// `window` is the request's current time window in words, when it has one; `cancelled` whether Station
    /// holds it as cancelled (or otherwise closed without a visit).
    package init(outcome: ReturnOutcome, status: CareRequestStatus, cancelled: Bool, window: String?) {
        let now =
            cancelled
            ? "This care request is cancelled."
            : window.map { "The visit is now \($0)." }
                ?? "This care request is \(Wording.status(status.rawValue).lowercased()) and has no time window yet."
        switch outcome {
        case .cancelled where cancelled:
            self.init(kind: .success, message: "The care request was cancelled.")
        case .cancelled:
            self.init(kind: .info, message: "The care request was not cancelled. \(now)")
        case .rescheduled where !cancelled && window != nil:
            self.init(kind: .success, message: now)
        case .unchanged:
            self.init(kind: .info, message: "Nothing was changed. \(now)")
        default:
            self.init(kind: .info, message: now)
        }
    }

    package init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }
}

/// Why OSS could not go on, for an `error` outcome: a code OSS sends, words Express owns.
package enum ReturnErrorReason: String, Sendable, CaseIterable {
    case invalidLink = "invalid_link"
    case wrongUser = "wrong_user"
    case expired
    case patientNotFound = "patient_not_found"
    case notAllowed = "not_allowed"
    case unavailable, closed
    case notFound = "not_found"
    case unknown

    package init(_ raw: String?) { self = raw.flatMap(Self.init(rawValue:)) ?? .unknown }

    package var message: String {
        switch self {
        case .invalidLink:
            "The link to continue in online scheduling was not valid. Nothing was created; start again with “New care request”."
        case .wrongUser:
            "That care request was started by someone else. Nothing was created; start your own with “New care request”."
        case .expired:
            "The link to continue in online scheduling had expired. Nothing was created; start again with “New care request”."
        case .patientNotFound:
            "Online scheduling could not find that patient for your organization. Nothing was created; search again."
        case .notAllowed:
            "Your account may not schedule visits for that patient. Nothing was created; ask your Express admin."
        case .unavailable:
            "Online scheduling could not reach our scheduling system. Nothing was created; please try again in a moment."
        case .closed: "That care request can no longer be changed in online scheduling."
        case .notFound: "Online scheduling could not find that request. Nothing was created."
        case .unknown: "Something went wrong in online scheduling. Nothing was created; please try again."
        }
    }

    /// The words for an error while changing or cancelling an existing request: nothing was changed.
    package func changeMessage(supportPhone: String) -> String {
        switch self {
        case .invalidLink, .expired:
            "The link to online scheduling was not valid any more. Nothing was changed; try again from the request."
        case .wrongUser:
            "That change was started by someone else. Nothing was changed; start your own from the request."
        case .notAllowed: "Your account may not change that request. Nothing was changed; ask your Express admin."
        case .unavailable:
            "Online scheduling could not reach our scheduling system. Nothing was changed; please try again in a moment."
        case .closed: "This visit has started; call us at \(supportPhone) to change it. Nothing was changed online."
        case .patientNotFound, .notFound: "Online scheduling could not find that request. Nothing was changed."
        case .unknown: "Something went wrong in online scheduling. Nothing was changed; please try again."
        }
    }
}
