import Foundation
import OSSDomain
import Testing
import Vocabulary

/// Whom a patient account schedules for: the form's choice and the rules, without a server.
@Suite("People rules")
struct PeopleDomainTests {
    static let at = Date(timeIntervalSince1970: 1_796_000_000)

    static func person(_ relationship: Person.Relationship, _ label: String = "", after seconds: Double = 0) -> Person {
        Person(
            id: .random(), account: "acct", relationship: relationship, label: label,
            createdAt: at.addingTimeInterval(seconds))
    }

    @Test("the form: Myself and A family member are checkboxes; a typed name means a family member, trimmed")
    func form() {
        #expect(PeopleRules.addition(form: ["myself": "on"]) == .init(myself: true, family: nil))
        #expect(
            PeopleRules.addition(form: ["family": "on", "family_name": "  Walter Jones (father) "])
                == .init(myself: false, family: "Walter Jones (father)"))
        #expect(PeopleRules.addition(form: ["family_name": "Ann"]) == .init(myself: false, family: "Ann"))
        #expect(PeopleRules.addition(form: ["family": "on"]) == .init(myself: false, family: ""))
        #expect(PeopleRules.addition(form: ["family_name": "   "]) == .init(myself: false, family: nil))
    }

    @Test("something must be chosen; a family member needs a short one-line name; one Myself; at most 20 people")
    func problems() {
        func problem(_ myself: Bool, _ family: String?, _ existing: [Person] = []) -> PeopleRules.Problem? {
            PeopleRules.problem(with: .init(myself: myself, family: family), existing: existing)
        }
        #expect(problem(false, nil) == .nothingChosen)
        #expect(problem(false, "") == .familyNameMissing)
        #expect(problem(false, String(repeating: "a", count: 101)) == .familyNameTooLong)
        #expect(problem(false, String(repeating: "a", count: 100)) == nil)
        #expect(problem(false, "Walter\nJones") == .familyNameInvalid)
        #expect(problem(true, "Walter") == nil)
        #expect(problem(true, nil, [Self.person(.myself)]) == .alreadyMyself)
        #expect(problem(false, "Ann", [Self.person(.myself)]) == nil)
        let nineteen = (0..<19).map { Self.person(.family, "F\($0)") }
        #expect(problem(false, "Ann", nineteen) == nil)
        #expect(problem(true, "Ann", nineteen) == .tooMany)
        #expect(PeopleRules.Problem.nothingChosen.message == "Choose Myself, a family member, or both.")
    }

    @Test("lists name the account holder Myself and put them first, then family in the order they were added")
    func order() {
        let walter = Self.person(.family, "Walter Jones (father)", after: 1)
        let ann = Self.person(.family, "Ann", after: 2)
        let me = Self.person(.myself, after: 3)
        #expect(
            PeopleRules.ordered([ann, me, walter]).map(\.displayName) == ["Myself", "Walter Jones (father)", "Ann"])
    }
}
