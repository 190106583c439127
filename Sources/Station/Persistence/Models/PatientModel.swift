import Fluent
import Foundation
import StationDomain
import Vocabulary

final class PatientModel: Model, @unchecked Sendable {
    static let schema = "patients"

    @ID(key: .id) var id: UUID?
    @OptionalField(key: "partner_id") var partnerID: UUID?
    @Field(key: "given_name") var givenName: String
    @Field(key: "family_name") var familyName: String
    @Field(key: "date_of_birth") var dateOfBirth: String
    @Field(key: "sex") var sex: String
    @OptionalField(key: "phone") var phone: String?
    @OptionalField(key: "email") var email: String?
    @OptionalField(key: "address") var address: Address?
    @OptionalField(key: "mrn") var mrn: String?
    // Search keys, see SearchKey.
    @Field(key: "given_key") var givenKey: String
    @Field(key: "family_key") var familyKey: String
    @Field(key: "full_key") var fullKey: String
    @Field(key: "phone_key") var phoneKey: String
    @Field(key: "mrn_key") var mrnKey: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(id: UUID, partnerID: UUID?, details: NewPatient, createdAt: Date) {
        self.id = id
        self.partnerID = partnerID
        self.givenName = details.givenName.trimmingCharacters(in: .whitespaces)
        self.familyName = details.familyName.trimmingCharacters(in: .whitespaces)
        self.dateOfBirth = details.dateOfBirth
        self.sex = details.sex.rawValue
        self.phone = details.phone.nilIfEmpty
        self.email = details.email.nilIfEmpty
        self.address = details.address
        self.mrn = details.mrn.nilIfEmpty
        self.givenKey = SearchKey.name(details.givenName)
        self.familyKey = SearchKey.name(details.familyName)
        self.fullKey = SearchKey.name(details.givenName + details.familyName)
        self.phoneKey = SearchKey.digits(details.phone ?? "")
        self.mrnKey = SearchKey.name(details.mrn ?? "")
        self.createdAt = createdAt
    }

    func domain() throws -> Patient {
        Patient(
            id: PatientID(try requireID()), partnerID: partnerID.map { PartnerID($0) },
            details: NewPatient(
                givenName: givenName, familyName: familyName, dateOfBirth: dateOfBirth,
                sex: Sex(rawValue: sex) ?? .unknown,
                phone: phone, email: email, address: address, mrn: mrn),
            createdAt: createdAt)
    }
}

extension Optional where Wrapped == String {
    var nilIfEmpty: String? {
        guard let self else { return nil }
        let trimmed = self.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}
