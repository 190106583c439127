import Foundation
import Vocabulary

package struct Address: Codable, Sendable, Equatable {
    package var line1: String
    package var line2: String?
    package var city: String
    package var state: String
    package var zip: String

    package init(line1: String, line2: String? = nil, city: String, state: String, zip: String) {
        self.line1 = line1
        self.line2 = line2
        self.city = city
        self.state = state
        self.zip = zip
    }

    func validate(_ prefix: String, into errors: inout FieldErrors) {
        Validate.required(line1, "\(prefix).line1", into: &errors)
        Validate.text(line1, "\(prefix).line1", max: 200, into: &errors)
        Validate.text(line2, "\(prefix).line2", max: 200, into: &errors)
        Validate.required(city, "\(prefix).city", into: &errors)
        Validate.text(city, "\(prefix).city", max: 100, into: &errors)
        Validate.state(state, "\(prefix).state", into: &errors)
        Validate.zip(zip, "\(prefix).zip", into: &errors)
        Validate.text(zip, "\(prefix).zip", max: 10, into: &errors)
    }
}

package enum Sex: String, Codable, Sendable, CaseIterable {
    case female, male, other, unknown
}

/// What a caller gives to create a patient.
package struct NewPatient: Sendable, Equatable {
    package var givenName: String
    package var familyName: String
    package var dateOfBirth: String
    package var sex: Sex
    package var phone: String?
    package var email: String?
    package var address: Address?
    package var mrn: String?

    package init(
        givenName: String, familyName: String, dateOfBirth: String, sex: Sex,
        phone: String? = nil, email: String? = nil, address: Address? = nil, mrn: String? = nil
    ) {
        self.givenName = givenName
        self.familyName = familyName
        self.dateOfBirth = dateOfBirth
        self.sex = sex
        self.phone = phone
        self.email = email
        self.address = address
        self.mrn = mrn
    }

    /// Checks every field; `today` bounds the date of birth.
    package func validate(today: LocalDate) throws(FieldErrors) {
        var errors = FieldErrors()
        Validate.required(givenName, "given_name", into: &errors)
        Validate.text(givenName, "given_name", max: 100, into: &errors)
        Validate.required(familyName, "family_name", into: &errors)
        Validate.text(familyName, "family_name", max: 100, into: &errors)
        if let dob = LocalDate(iso: dateOfBirth) {
            if dob > today { errors.add("date_of_birth", "cannot be in the future") }
            if dob.year < today.year - 130 { errors.add("date_of_birth", "is more than 130 years ago") }
        } else if dateOfBirth.utf8.count == 10, let year = Int(dateOfBirth.prefix(4)),
            year < LocalDate.years.lowerBound,
            LocalDate(iso: "\(LocalDate.years.lowerBound)" + dateOfBirth.dropFirst(4)) != nil
        {
            errors.add("date_of_birth", "is more than 130 years ago")
        } else {
            errors.add("date_of_birth", "must be a date as YYYY-MM-DD")
        }
        Validate.phone(phone, "phone", into: &errors)
        Validate.text(phone, "phone", max: 30, into: &errors)
        Validate.email(email, "email", into: &errors)
        Validate.text(email, "email", max: 254, into: &errors)
        address?.validate("address", into: &errors)
        Validate.text(mrn, "mrn", max: 50, into: &errors)
        try errors.throwIfAny()
    }
}

/// A stored patient.
package struct Patient: Sendable, Equatable {
    package typealias ID = PatientID

    package var id: ID
    package var partnerID: PartnerID?
    package var details: NewPatient
    package var createdAt: Date

    package init(id: ID, partnerID: PartnerID?, details: NewPatient, createdAt: Date) {
        self.id = id
        self.partnerID = partnerID
        self.details = details
        self.createdAt = createdAt
    }

    package var displayName: String { "\(details.givenName) \(details.familyName)" }
}
