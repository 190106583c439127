import Foundation
import Vocabulary

/// The care request OSS asks Station to create when a draft is submitted.
package struct NewCareRequest: Equatable, Sendable {
    package enum Source: Sendable {
        /// A partner user, handed off from Express.
        case partner
        /// A patient scheduling for themselves.
        case direct
    }

    package struct Contact: Equatable, Sendable {
        package var name: String
        package var phone: String?
        package var relationship: String?

        package init(name: String, phone: String?, relationship: String? = nil) {
            self.name = name
            self.phone = phone
            self.relationship = relationship
        }
    }

    package struct Screening: Equatable, Sendable {
        package var questionnaireVersion: String
        package var answers: [String: String]
        package var outcome: ScreeningOutcome
        package var reasonCodes: [String]

        package init(questionnaireVersion: String, answers: [String: String], outcome: ScreeningOutcome, reasonCodes: [String]) {
            self.questionnaireVersion = questionnaireVersion
            self.answers = answers
            self.outcome = outcome
            self.reasonCodes = reasonCodes
        }
    }

    package enum Insurance: Equatable, Sendable {
        case selfPay
        case payer(name: String, memberID: String, groupNumber: String?)
    }

    package var partner: PartnerID?
    package var patient: PatientID
    package var serviceLine: ServiceLineID
    package var source: Source
    package var chiefComplaint: String
    package var visitAddress: PostalAddress
    package var requester: Contact
    package var screening: Screening
    package var insurance: Insurance?
    package var powerOfAttorney: Contact?
    package var callbackContact: Contact?
    /// None while a nurse has to call first.
    package var timeWindow: VisitWindow?
    /// The Express user who made it, for partner requests.
    package var createdBy: UserID?
    package var synthetic: Bool

    package init(partner: PartnerID?, patient: PatientID, serviceLine: ServiceLineID, source: Source, chiefComplaint: String,
                 visitAddress: PostalAddress, requester: Contact, screening: Screening, insurance: Insurance?,
                 powerOfAttorney: Contact?, callbackContact: Contact?, timeWindow: VisitWindow?, createdBy: UserID?,
                 synthetic: Bool) {
        self.partner = partner
        self.patient = patient
        self.serviceLine = serviceLine
        self.source = source
        self.chiefComplaint = chiefComplaint
        self.visitAddress = visitAddress
        self.requester = requester
        self.screening = screening
        self.insurance = insurance
        self.powerOfAttorney = powerOfAttorney
        self.callbackContact = callbackContact
        self.timeWindow = timeWindow
        self.createdBy = createdBy
        self.synthetic = synthetic
    }
}
