/// What OSS says happened when it sends the browser back to `/care-requests/returned`. The query string is
/// anyone's to write: only these values are read, shown or counted; anything else is `.unknown`.
package enum ReturnOutcome: String, Sendable {
    case created, cancelled, error, unknown
    /// An emergency sign ended the flow (`needs_call` is its older name, still in links made before).
    case emergency
    case needsCall = "needs_call"

    package init(_ raw: String?) { self = raw.flatMap(Self.init(rawValue:)) ?? .unknown }
}

/// Why OSS could not go on, for an `error` outcome: a code OSS sends, words Express owns.
package enum ReturnErrorReason: String, Sendable {
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
}
