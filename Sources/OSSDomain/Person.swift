import Foundation
import Vocabulary

/// Someone a patient account schedules visits for: the account holder themselves or a family member. The link to
/// the patient's record in Station is made by their first request.
package struct Person: Sendable, Equatable, Identifiable {
    package typealias ID = PersonID

    package enum Relationship: String, Sendable, CaseIterable {
        case myself = "self"
        case family
    }

    package var id: ID
    /// The patient account (its subject) that schedules for this person.
    package var account: String
    package var relationship: Relationship
    /// The name the account gave a family member ("Walter Jones (father)"); empty for the account holder. PHI.
    package var label: String
    /// Their record in Station, nil until their first request creates it.
    package var patient: PatientID?
    package var createdAt: Date

    package init(
        id: ID, account: String, relationship: Relationship, label: String, patient: PatientID? = nil,
        createdAt: Date
    ) {
        self.id = id
        self.account = account
        self.relationship = relationship
        self.label = label
        self.patient = patient
        self.createdAt = createdAt
    }

    /// How pages name this person: "Myself" for the account holder, else the name the account gave.
    package var displayName: String { relationship == .myself ? "Myself" : label }
}

/// The rules for the people of one account: at most one "Myself", at most ``maximum`` people (Station lists the
/// requests of at most 20 patients at once), a family member's name required and short.
package enum PeopleRules {
    package static let maximum = 20
    package static let labelLimit = 100

    /// What the "Whom do you schedule visits for?" form asks to add.
    package struct Addition: Equatable, Sendable {
        package var myself: Bool
        /// The family member's name as typed (trimmed), nil when none was asked for.
        package var family: String?

        package init(myself: Bool, family: String?) {
            self.myself = myself
            self.family = family
        }
    }

    package enum Problem: Equatable, Sendable {
        case nothingChosen, familyNameMissing, familyNameTooLong, familyNameInvalid, tooMany
        case alreadyMyself

        package var message: String {
            switch self {
            case .nothingChosen: "Choose Myself, a family member, or both."
            case .familyNameMissing: "Enter your family member's name."
            case .familyNameTooLong: "Use at most \(PeopleRules.labelLimit) characters."
            case .familyNameInvalid: "Enter the name on one line, without special characters."
            case .tooMany: "You can schedule for at most \(PeopleRules.maximum) people. Remove someone first."
            case .alreadyMyself: "You are already on your list."
            }
        }
    }

    /// The form's choice: `myself` and `family` are checkboxes (`"on"`), `family_name` the family member's name; a
    /// name typed without ticking "A family member" still means one.
    package static func addition(form: [String: String]) -> Addition {
        let name = (form["family_name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return Addition(myself: form["myself"] == "on", family: form["family"] == "on" || !name.isEmpty ? name : nil)
    }

    /// Why `addition` cannot be added to an account that has `existing` people, nil when it can.
    package static func problem(with addition: Addition, existing: [Person]) -> Problem? {
        guard addition.myself || addition.family != nil else { return .nothingChosen }
        if addition.myself, existing.contains(where: { $0.relationship == .myself }) { return .alreadyMyself }
        if let name = addition.family {
            if name.isEmpty { return .familyNameMissing }
            if name.count > labelLimit { return .familyNameTooLong }
            if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                return .familyNameInvalid
            }
        }
        let adding = (addition.myself ? 1 : 0) + (addition.family == nil ? 0 : 1)
        return existing.count + adding > maximum ? .tooMany : nil
    }

    /// The people in the order pages list them: the account holder first, then family by when they were added.
    package static func ordered(_ people: [Person]) -> [Person] {
        people.sorted { a, b in
            if (a.relationship == .myself) != (b.relationship == .myself) { return a.relationship == .myself }
            return (a.createdAt, a.id.rawValue.uuidString) < (b.createdAt, b.id.rawValue.uuidString)
        }
    }
}
