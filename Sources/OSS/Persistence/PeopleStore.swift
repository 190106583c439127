import Fluent
import Foundation
import OSSDomain
import Vocabulary

/// The people patient accounts schedule for (``Person``), and so the patients each account may act for.
extension OSSService {
    /// `account`'s people, the account holder first; removed ones are gone from every list.
    func people(of account: String) async throws -> [Person] {
        let rows = try await ManagedPersonModel.query(on: db).filter(\.$account == account)
            .filter(\.$removedAt == nil).all()
        return PeopleRules.ordered(rows.compactMap { $0.person() })
    }

    /// One of `account`'s people, nil when `id` is not theirs (or was removed).
    func person(_ id: PersonID, of account: String) async throws -> Person? {
        guard let row = try await ManagedPersonModel.find(id.rawValue, on: db), row.account == account,
            row.removedAt == nil
        else { return nil }
        return row.person()
    }

    /// Who schedules for `patient`: the account that is the patient themselves ("Myself"), if any, and every
    /// account linked to them (the patient, family members): Policy's `owner_user_id` and `managing_accounts`.
    func managers(of patient: PatientID) async throws -> (owner: String?, accounts: [String]) {
        let rows = try await ManagedPersonModel.query(on: db).filter(\.$patientID == patient.rawValue)
            .filter(\.$removedAt == nil).all()
        let owner = rows.first { $0.relationship == Person.Relationship.myself.rawValue }?.account
        return (owner, Array(Set(rows.map(\.account))).sorted())
    }

    /// Whether `account` schedules for `patient` (one of its people is linked to that record).
    func manages(_ patient: PatientID, account: String) async throws -> Bool {
        try await ManagedPersonModel.query(on: db).filter(\.$account == account)
            .filter(\.$patientID == patient.rawValue).filter(\.$removedAt == nil).first() != nil
    }

    /// Adds what the form asked for, unless the rules refuse it (checked again inside the write, so two tabs
    /// cannot add a second "Myself" or pass the limit): the people added, or the problem.
    func add(_ addition: PeopleRules.Addition, to account: String) async throws -> Result<[Person], PeopleProblem> {
        let at = now()
        return try await write { db in
            let existing = try await ManagedPersonModel.query(on: db).filter(\.$account == account)
                .filter(\.$removedAt == nil).all().compactMap { $0.person() }
            if let problem = PeopleRules.problem(with: addition, existing: existing) {
                return .failure(PeopleProblem(problem: problem))
            }
            var added: [Person] = []
            if addition.myself {
                added.append(Person(id: .random(), account: account, relationship: .myself, label: "", createdAt: at))
            }
            if let name = addition.family {
                added.append(
                    Person(id: .random(), account: account, relationship: .family, label: name, createdAt: at))
            }
            for person in added { try await ManagedPersonModel(person).create(on: db) }
            return .success(added)
        }
    }

    /// Removes one of `account`'s people from its lists; their requests stay in Station. False when not theirs.
    func remove(_ id: PersonID, of account: String) async throws -> Bool {
        let at = now()
        return try await write { db in
            guard let row = try await ManagedPersonModel.find(id.rawValue, on: db), row.account == account,
                row.removedAt == nil
            else { return false }
            row.removedAt = at
            try await row.update(on: db)
            return true
        }
    }

    /// Links `person` to the patient record their first request created; a person linked already keeps theirs.
    func link(_ person: PersonID, to patient: PatientID) async throws {
        try await write { db in
            guard let row = try await ManagedPersonModel.find(person.rawValue, on: db), row.patientID == nil else {
                return
            }
            row.patientID = patient.rawValue
            try await row.update(on: db)
        }
    }

    /// Links `account`'s "Myself" to `patient` (making that person when the account has none yet), unless it is
    /// linked already: a draft started before people existed still lands in "My requests".
    func link(account: String, to patient: PatientID) async throws {
        let at = now()
        try await write { db in
            let mine = try await ManagedPersonModel.query(on: db).filter(\.$account == account)
                .filter(\.$relationship == Person.Relationship.myself.rawValue).filter(\.$removedAt == nil).first()
            if let mine {
                guard mine.patientID == nil else { return }
                mine.patientID = patient.rawValue
                try await mine.update(on: db)
            } else {
                try await ManagedPersonModel(
                    Person(
                        id: .random(), account: account, relationship: .myself, label: "", patient: patient,
                        createdAt: at)
                ).create(on: db)
            }
        }
    }
}

/// Why the people form could not be saved.
struct PeopleProblem: Error {
    var problem: PeopleRules.Problem
}

extension ManagedPersonModel {
    convenience init(_ person: Person) {
        self.init()
        id = person.id.rawValue
        account = person.account
        relationship = person.relationship.rawValue
        label = person.label
        patientID = person.patient?.rawValue
        createdAt = person.createdAt
    }

    /// The row as a ``Person``; nil for a relationship no person has.
    func person() -> Person? {
        guard let id, let relationship = Person.Relationship(rawValue: relationship) else { return nil }
        return Person(
            id: PersonID(rawValue: id), account: account, relationship: relationship, label: label,
            patient: patientID.map(PatientID.init(rawValue:)), createdAt: createdAt)
    }
}
