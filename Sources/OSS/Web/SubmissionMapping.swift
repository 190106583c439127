import OSSDomain
import Vocabulary

// The draft's new patient, as the Station seam takes it.

extension PostalAddress {
    init(_ address: CareRequestToCreate.Address) {
        self.init(
            line1: address.line1, line2: address.line2, city: address.city, state: address.state, zip: address.zip)
    }
}

extension NewPatient {
    init(_ patient: PatientToCreate) {
        self.init(
            givenName: patient.givenName, familyName: patient.familyName, dateOfBirth: patient.dateOfBirth,
            sex: Sex(rawValue: patient.sex.rawValue) ?? .unknown, phone: patient.phone, email: patient.email,
            address: PostalAddress(patient.address))
    }
}
