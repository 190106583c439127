import Foundation
import Vocabulary

/// What OSS asks Policy: may this partner user schedule for this patient? Policy not answering is ``Unavailable``.
package protocol PolicyGateway: Sendable {
    func maySchedule(_ question: SchedulingQuestion) async throws -> PolicyDecision
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
