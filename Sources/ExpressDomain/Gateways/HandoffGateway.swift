import Foundation
import Vocabulary

/// What Express tells OSS of a care request a partner user starts, or of one they go on to change or cancel.
package struct HandoffRequest: Sendable, Equatable {
    package var partner: PartnerID
    package var user: UserID
    /// The patient chosen from search, if any; OSS asks for one otherwise.
    package var patient: PatientID?
    /// Where OSS sends the browser back.
    package var returnURL: String
    /// The user is a synthetic-monitoring one, so the request OSS makes is marked synthetic in Station.
    package var synthetic: Bool
    /// What the user goes on to do in OSS: a new request, or reschedule or cancel ``careRequest``.
    package var intent: HandoffIntent
    /// The request a reschedule or a cancellation is for; nil for a new one.
    package var careRequest: CareRequestID?

    package init(
        partner: PartnerID, user: UserID, patient: PatientID?, returnURL: String, synthetic: Bool = false,
        intent: HandoffIntent = .new, careRequest: CareRequestID? = nil
    ) {
        self.partner = partner
        self.user = user
        self.patient = patient
        self.returnURL = returnURL
        self.synthetic = synthetic
        self.intent = intent
        self.careRequest = careRequest
    }
}

/// A one-time handle OSS made for a user's new care request (or change of one).
package struct PushedHandoff: Sendable, Equatable {
    /// Secret: whoever holds it may start the care request. Log its fingerprint only.
    package var handle: String
    package var startURL: String
    package var expiresAt: Date

    package init(handle: String, startURL: String, expiresAt: Date) {
        self.handle = handle
        self.startURL = startURL
        self.expiresAt = expiresAt
    }
}

/// Pushes what Express knows of a new care request to OSS, server to server. Throws ``ServiceUnavailable``
/// when OSS cannot be reached or refuses.
package protocol HandoffGateway: Sendable {
    func push(_ handoff: HandoffRequest) async throws -> PushedHandoff
}
