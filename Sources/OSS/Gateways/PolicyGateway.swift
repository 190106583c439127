import Foundation
import Vocabulary

/// What OSS asks Policy: may this partner user schedule for this patient? May this person change this care
/// request? Policy not answering is ``Unavailable``.
package protocol PolicyGateway: Sendable {
    func maySchedule(_ question: SchedulingQuestion) async throws -> PolicyDecision
    /// Policy's `update` on the `care_request`: may this partner user (or patient) reschedule or cancel it?
    func mayChange(_ question: ChangeQuestion) async throws -> PolicyDecision
}

/// May `asker` change (reschedule or cancel) this care request, which belongs to `requestPartner` (a partner's)
/// or to the patient account `requestOwner` (a patient's own)?
package struct ChangeQuestion: Equatable, Sendable {
    package var asker: Owner
    /// The partner user's roles (none for a patient).
    package var roles: [PartnerRole]
    package var careRequest: CareRequestID
    /// The partner the request belongs to, as Station says; nil for a patient's own request.
    package var requestPartner: PartnerID?
    /// For a patient's own request, the account it belongs to.
    package var requestOwner: String?
    /// For a patient's own request, every patient account that schedules for its patient (Policy's
    /// `managing_accounts`).
    package var managingAccounts: [String]

    package init(
        asker: Owner, roles: [PartnerRole], careRequest: CareRequestID, requestPartner: PartnerID?,
        requestOwner: String?, managingAccounts: [String] = []
    ) {
        self.managingAccounts = managingAccounts
        self.asker = asker
        self.roles = roles
        self.careRequest = careRequest
        self.requestPartner = requestPartner
        self.requestOwner = requestOwner
    }
}

package struct SchedulingQuestion: Equatable, Sendable {
    package var user: UserID
    package var partner: PartnerID
    package var roles: [PartnerRole]
    package var patient: PatientID
    /// The partner the patient's record belongs to, as Station says.
    package var patientPartner: PartnerID?

    package init(user: UserID, partner: PartnerID, roles: [PartnerRole], patient: PatientID, patientPartner: PartnerID?)
    {
        self.user = user
        self.partner = partner
        self.roles = roles
        self.patient = patient
        self.patientPartner = patientPartner
    }
}

package struct PolicyDecision: Equatable, Sendable {
    package var allowed: Bool
    /// Policy's reference for this decision (`dec_…`), shown to a refused user and audited.
    package var id: String
    package var reason: String

    package init(allowed: Bool, id: String, reason: String) {
        self.allowed = allowed
        self.id = id
        self.reason = reason
    }
}
