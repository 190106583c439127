import Foundation
import Vocabulary

package struct Person: Codable, Sendable, Equatable {
    package var name: String
    /// nil when the person left no number to call back.
    package var phone: String?
    package var relationship: String?

    package init(name: String, phone: String?, relationship: String? = nil) {
        self.name = name
        self.phone = phone
        self.relationship = relationship
    }

    /// `phoneRequired`: a power of attorney or callback contact is there to be called; a requester may leave no number.
    func validate(_ prefix: String, phoneRequired: Bool, into errors: inout FieldErrors) {
        Validate.required(name, "\(prefix).name", into: &errors)
        Validate.text(name, "\(prefix).name", max: 200, into: &errors)
        if phoneRequired { Validate.required(phone, "\(prefix).phone", into: &errors) }
        Validate.phone(phone, "\(prefix).phone", into: &errors)
        Validate.text(phone, "\(prefix).phone", max: 30, into: &errors)
        Validate.text(relationship, "\(prefix).relationship", max: 100, into: &errors)
    }
}

/// The screening questionnaire's record, as OSS decided it.
package struct Screening: Codable, Sendable, Equatable {
    package var questionnaireVersion: String
    package var answers: [String: String]
    package var outcome: ScreeningOutcome
    package var reasonCodes: [String]

    func validate(into errors: inout FieldErrors) {
        Validate.required(questionnaireVersion, "screening.questionnaire_version", into: &errors)
        Validate.text(questionnaireVersion, "screening.questionnaire_version", max: 50, into: &errors)
        for (question, answer) in answers.sorted(by: { $0.key < $1.key }) {
            Validate.text(question, "screening.answers", max: 100, into: &errors)
            Validate.text(answer, "screening.answers.\(question.prefix(100))", max: 500, into: &errors)
        }
        for (index, code) in reasonCodes.enumerated() {
            Validate.text(code, "screening.reason_codes[\(index)]", max: 100, into: &errors)
        }
    }

    package init(
        questionnaireVersion: String, answers: [String: String], outcome: ScreeningOutcome, reasonCodes: [String]
    ) {
        self.questionnaireVersion = questionnaireVersion
        self.answers = answers
        self.outcome = outcome
        self.reasonCodes = reasonCodes
    }
}

package struct Insurance: Codable, Sendable, Equatable {
    package var selfPay: Bool
    package var payer: String?
    package var memberID: String?
    package var groupNumber: String?

    func validate(into errors: inout FieldErrors) {
        if !selfPay {
            Validate.required(payer, "insurance.payer", into: &errors)
            Validate.required(memberID, "insurance.member_id", into: &errors)
        }
        Validate.text(payer, "insurance.payer", max: 200, into: &errors)
        Validate.text(memberID, "insurance.member_id", max: 100, into: &errors)
        Validate.text(groupNumber, "insurance.group_number", max: 100, into: &errors)
    }

    package init(selfPay: Bool, payer: String? = nil, memberID: String? = nil, groupNumber: String? = nil) {
        self.selfPay = selfPay
        self.payer = payer
        self.memberID = memberID
        self.groupNumber = groupNumber
    }
}

/// What a caller gives to create a care request.
package struct NewCareRequest: Sendable, Equatable {
    package var partnerID: PartnerID?
    package var patientID: PatientID
    package var serviceLineID: ServiceLineID
    package var source: CareRequestSource
    package var chiefComplaint: String
    package var visitAddress: Address
    package var requester: Person
    package var screening: Screening
    package var insurance: Insurance?
    package var powerOfAttorney: Person?
    package var callbackContact: Person?
    package var timeWindow: DateInterval?
    package var createdByUserID: String?
    /// Made by synthetic monitoring (the smoke check): no capacity held, archived at once, in no list.
    package var synthetic: Bool

    package init(
        partnerID: PartnerID?, patientID: PatientID, serviceLineID: ServiceLineID, source: CareRequestSource,
        chiefComplaint: String, visitAddress: Address, requester: Person, screening: Screening,
        insurance: Insurance? = nil, powerOfAttorney: Person? = nil, callbackContact: Person? = nil,
        timeWindow: DateInterval? = nil, createdByUserID: String? = nil, synthetic: Bool = false
    ) {
        self.partnerID = partnerID
        self.patientID = patientID
        self.serviceLineID = serviceLineID
        self.source = source
        self.chiefComplaint = chiefComplaint
        self.visitAddress = visitAddress
        self.requester = requester
        self.screening = screening
        self.insurance = insurance
        self.powerOfAttorney = powerOfAttorney
        self.callbackContact = callbackContact
        self.timeWindow = timeWindow
        self.createdByUserID = createdByUserID
        self.synthetic = synthetic
    }

    /// The status a new request starts in: a nurse must call first when screening says so.
    package var initialStatus: CareRequestStatus {
        screening.outcome == .nurseTriage ? .pendingTriage : .requested
    }

    /// Checks the fields that need no stored data.
    package func validate() throws(FieldErrors) {
        var errors = FieldErrors()
        Validate.required(chiefComplaint, "chief_complaint", into: &errors)
        Validate.text(chiefComplaint, "chief_complaint", max: 1000, multiline: true, into: &errors)
        visitAddress.validate("visit_address", into: &errors)
        requester.validate("requester", phoneRequired: false, into: &errors)
        powerOfAttorney?.validate("power_of_attorney", phoneRequired: true, into: &errors)
        callbackContact?.validate("callback_contact", phoneRequired: true, into: &errors)
        screening.validate(into: &errors)
        insurance?.validate(into: &errors)
        Validate.text(createdByUserID, "created_by_user_id", max: 100, into: &errors)
        switch screening.outcome {
        case .emergency:
            errors.add("screening.outcome", "is emergency: no care request is made; the patient must call 911")
        case .nurseTriage where timeWindow != nil:
            errors.add("time_window", "must be empty when a nurse triages the request first")
        default: break
        }
        if let timeWindow, timeWindow.duration <= 0 {
            errors.add("time_window.end", "must be after time_window.start")
        }
        try errors.throwIfAny()
    }
}

/// A stored care request: what its caller gave, where it stands and when the team is due.
package struct CareRequest: Sendable, Equatable {
    package typealias ID = CareRequestID

    package var id: ID
    package var marketID: MarketID
    package var status: CareRequestStatus
    /// What the caller gave when creating it.
    package var request: NewCareRequest
    package var eta: DateInterval?
    package var createdAt: Date
    package var updatedAt: Date
    /// The iCalendar SEQUENCE of the visit: 0 when made, one more at each reschedule and at the cancellation.
    package var calendarSequence: Int
    /// Set when its partner or patient cancelled it.
    package var cancellation: Cancellation?

    package init(
        id: ID, marketID: MarketID, status: CareRequestStatus, request: NewCareRequest, eta: DateInterval?,
        createdAt: Date, updatedAt: Date, calendarSequence: Int = 0, cancellation: Cancellation? = nil
    ) {
        self.id = id
        self.marketID = marketID
        self.status = status
        self.request = request
        self.eta = eta
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.calendarSequence = calendarSequence
        self.cancellation = cancellation
    }

    /// Whether its partner or patient may still reschedule or cancel it (``RequesterChange``).
    package var isChangeable: Bool { !request.synthetic && RequesterChange.isOpen(status) }

    /// Whether someone left a number to call back: the callback contact's, else the requester's.
    package var hasCallbackNumber: Bool {
        let phone = request.callbackContact?.phone ?? request.requester.phone
        return !(phone ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }
}

package struct StatusChange: Sendable, Equatable {
    package var from: CareRequestStatus?
    package var to: CareRequestStatus
    package var actor: String
    package var reason: String?
    package var changedAt: Date

    package init(from: CareRequestStatus?, to: CareRequestStatus, actor: String, reason: String?, changedAt: Date) {
        self.from = from
        self.to = to
        self.actor = actor
        self.reason = reason
        self.changedAt = changedAt
    }
}

/// A requester's cancellation: why, who, when. The note is free text, kept here and in the history only.
package struct Cancellation: Sendable, Equatable {
    package var reason: CancellationReason
    package var note: String?
    package var at: Date
    package var actor: String

    package init(reason: CancellationReason, note: String?, at: Date, actor: String) {
        self.reason = reason
        self.note = note
        self.at = at
        self.actor = actor
    }
}
