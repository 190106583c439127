import OSSDomain
import Vocabulary

// The draft's requests to Station, as the Station seam takes them.

extension PostalAddress {
    init(_ address: CareRequestToCreate.Address) {
        self.init(line1: address.line1, line2: address.line2, city: address.city, state: address.state, zip: address.zip)
    }
}

extension NewPatient {
    init(_ patient: PatientToCreate) {
        self.init(givenName: patient.givenName, familyName: patient.familyName, dateOfBirth: patient.dateOfBirth,
                  sex: Sex(rawValue: patient.sex.rawValue) ?? .unknown, phone: patient.phone, email: patient.email,
                  address: PostalAddress(patient.address))
    }
}

extension NewCareRequest.Contact {
    init(_ contact: CareRequestToCreate.Contact) {
        self.init(name: contact.name, phone: contact.phone, relationship: contact.relationship)
    }
}

extension NewCareRequest {
    init(_ request: CareRequestToCreate, serviceLine: ServiceLineID) {
        let insurance: Insurance? = switch request.insurance {
        case .selfPay?: .selfPay
        case .payer(let name, let memberID, let groupNumber)?: .payer(name: name, memberID: memberID, groupNumber: groupNumber)
        case nil: nil
        }
        self.init(partner: request.partner, patient: request.patient, serviceLine: serviceLine,
                  source: request.source == .partner ? .partner : .direct, chiefComplaint: request.chiefComplaint,
                  visitAddress: PostalAddress(request.visitAddress), requester: Contact(request.requester),
                  screening: Screening(questionnaireVersion: request.questionnaireVersion, answers: request.screening.answers,
                                       outcome: request.screening.outcome, reasonCodes: request.screening.reasonCodes),
                  insurance: insurance, powerOfAttorney: request.powerOfAttorney.map(Contact.init),
                  callbackContact: request.callbackContact.map(Contact.init),
                  timeWindow: request.timeWindow.map { VisitWindow(start: $0.start, end: $0.end) }, createdBy: request.createdBy,
                  synthetic: request.synthetic)
    }
}
