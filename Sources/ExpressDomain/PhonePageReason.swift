import Vocabulary

/// Why Express showed a page that tells the user to phone instead of scheduling or changing a visit online: the
/// `reason` of the Phone Page Shown event, so the funnel counts the calls self-scheduling did not replace.
package enum PhonePageReason: String, Sendable, CaseIterable {
    /// The partner has not turned online scheduling (the OSS handoff) on.
    case onlineSchedulingOff = "online_scheduling_off"
    /// OSS could not be reached to start or change a request.
    case onlineSchedulingUnavailable = "online_scheduling_unavailable"
    /// The care team has set out: only a call changes the visit now.
    case visitStarted = "visit_started"
    /// A nurse has yet to call to set the visit's time.
    case awaitingNurseCall = "awaiting_nurse_call"
    /// The request has ended and can no longer be changed.
    case requestEnded = "request_ended"

    /// Why a change of a request with `status` is closed to online scheduling.
    package init(changeClosedAt status: CareRequestStatus) {
        self =
            if [.onRoute, .onScene].contains(status) {
                .visitStarted
            } else if status.isChangeableByRequester {
                .awaitingNurseCall
            } else {
                .requestEnded
            }
    }
}
