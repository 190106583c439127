import Foundation
import Vocabulary

/// What a submitted draft asks Station to create, in OSS's words; the Station seam maps it to Station's API.
package struct CareRequestToCreate: Sendable, Equatable {
    package enum Source: Sendable, Equatable {
        case partner, direct
    }

    package struct Address: Sendable, Equatable {
        package var line1: String
        package var line2: String?
        package var city: String
        package var state: String
        package var zip: String

        package init(line1: String, line2: String?, city: String, state: String, zip: String) {
            self.line1 = line1
            self.line2 = line2
            self.city = city
            self.state = state
            self.zip = zip
        }
    }

    package struct Contact: Sendable, Equatable {
        package var name: String
        package var phone: String?
        package var relationship: String?

        package init(name: String, phone: String?, relationship: String? = nil) {
            self.name = name
            self.phone = phone
            self.relationship = relationship
        }
    }

    package enum Insurance: Sendable, Equatable {
        case selfPay
        case payer(name: String, memberID: String, groupNumber: String?)
    }

    package var partner: PartnerID?
    package var patient: PatientID
    package var source: Source
    package var chiefComplaint: String
    package var visitAddress: Address
    package var requester: Contact
    package var questionnaireVersion: String
    package var screening: ScreeningRules.Result
    package var insurance: Insurance?
    package var powerOfAttorney: Contact?
    package var callbackContact: Contact?
    /// None while a nurse has to call first.
    package var timeWindow: DateInterval?
    /// The Express user who made it, for partner requests.
    package var createdBy: UserID?
    package var synthetic: Bool
    /// One care request per draft, however often the submit is retried.
    package var idempotencyKey: DraftID

    package init(
        partner: PartnerID?, patient: PatientID, source: Source, chiefComplaint: String, visitAddress: Address,
        requester: Contact, questionnaireVersion: String, screening: ScreeningRules.Result, insurance: Insurance?,
        powerOfAttorney: Contact?, callbackContact: Contact?, timeWindow: DateInterval?, createdBy: UserID?,
        synthetic: Bool, idempotencyKey: DraftID
    ) {
        self.partner = partner
        self.patient = patient
        self.source = source
        self.chiefComplaint = chiefComplaint
        self.visitAddress = visitAddress
        self.requester = requester
        self.questionnaireVersion = questionnaireVersion
        self.screening = screening
        self.insurance = insurance
        self.powerOfAttorney = powerOfAttorney
        self.callbackContact = callbackContact
        self.timeWindow = timeWindow
        self.createdBy = createdBy
        self.synthetic = synthetic
        self.idempotencyKey = idempotencyKey
    }
}

/// A patient Station does not know yet, as the draft's patient and address steps describe them.
package struct PatientToCreate: Sendable, Equatable {
    package var givenName: String
    package var familyName: String
    package var dateOfBirth: String
    package var sex: Draft.Sex
    package var phone: String?
    package var email: String?
    package var address: CareRequestToCreate.Address
}

extension Draft.VisitAddress {
    package var forStation: CareRequestToCreate.Address {
        .init(line1: line1, line2: line2.isEmpty ? nil : line2, city: city, state: state.uppercased(), zip: zip)
    }
}

extension Draft {
    /// Who the care request is for: a patient Station knows, or one to create first.
    package enum RequestPatient: Sendable, Equatable {
        case known(PatientID)
        case toCreate(PatientToCreate)
    }

    /// The patient of the care request to create. A new patient scheduling for themselves is created with their
    /// account's email; a partner's patient with none.
    package func requestPatient(accountEmail: String) -> RequestPatient {
        switch answers.patient ?? .new(.init()) {
        case .existing(let known):
            return .known(known.id)
        case .new(let patient):
            return .toCreate(
                PatientToCreate(
                    givenName: patient.givenName, familyName: patient.familyName, dateOfBirth: patient.dateOfBirth,
                    sex: patient.sex ?? .unknown, phone: patient.phone.isEmpty ? nil : patient.phone,
                    email: audience == .direct && !accountEmail.isEmpty ? accountEmail : nil,
                    address: (answers.address ?? .init()).forStation))
        }
    }

    /// Remembers the patient Station created for this draft, so a retried submit never makes a second one.
    package mutating func patientCreated(_ id: PatientID, name: String, dateOfBirth: String) {
        let typedPhone = answers.patient.flatMap { patient -> String? in
            if case .new(let new) = patient, !new.phone.isEmpty { return new.phone }
            return nil
        }
        answers.patient = .existing(KnownPatient(id: id, name: name, dateOfBirth: dateOfBirth, phone: typedPhone))
    }

    /// The care request to create for `patient`, requested by the signed-in person called `requesterName`.
    package func careRequest(patient: PatientID, requesterName: String) -> CareRequestToCreate {
        let reason = answers.reason ?? Reason(chiefComplaint: "", symptoms: [])
        let details = answers.details ?? Details()
        let patientPhone: String? =
            switch answers.patient {
            case .new(let new)?: new.phone
            case .existing(let known)?: known.phone
            case nil: nil
            }
        // No number given: none is sent (Station shows staff "no callback number"), never our own support line.
        let requesterPhone = [details.callback.phone, patientPhone ?? ""].first { !$0.isEmpty }
        var window: DateInterval?
        if reason.outcome != .nurseTriage, let chosen = answers.window {
            window = DateInterval(start: chosen.start, end: chosen.end)
        }
        let insurance: CareRequestToCreate.Insurance? =
            details.selfPay
            ? .selfPay
            : details.payer.isEmpty
                ? nil
                : .payer(
                    name: details.payer, memberID: details.memberID,
                    groupNumber: details.groupNumber.isEmpty ? nil : details.groupNumber)
        let poa = details.powerOfAttorney
        let callback = details.callback
        var createdBy: UserID?
        if audience == .partner, case .partnerUser(_, let user) = owner { createdBy = user }
        return CareRequestToCreate(
            partner: partner, patient: patient, source: audience == .partner ? .partner : .direct,
            chiefComplaint: reason.chiefComplaint, visitAddress: (answers.address ?? .init()).forStation,
            requester: .init(
                name: requesterName, phone: requesterPhone,
                relationship: audience == .partner ? "Partner staff" : "Self"),
            questionnaireVersion: ScreeningRules.version, screening: ScreeningRules.screen(known: Set(reason.symptoms)),
            insurance: insurance,
            powerOfAttorney: poa.name.isEmpty ? nil : .init(name: poa.name, phone: poa.phone, relationship: nil),
            callbackContact: callback.phone.isEmpty
                ? nil
                : .init(
                    name: callback.name.isEmpty ? "Caller" : callback.name, phone: callback.phone, relationship: nil),
            timeWindow: window, createdBy: createdBy, synthetic: synthetic, idempotencyKey: id)
    }
}
