import Fluent
import Foundation
import OSSDomain
import TestSupport
import Testing
import Vapor
import Vocabulary

@testable import OSS

/// Whom a patient account schedules for: asked at the first visit, listed, removable and audited by id only.
@Suite("People a patient account schedules for")
struct PeopleTests {
    typealias Harness = OSSHarness
    static let walter = "Walter Jones (father)"

    /// The account's people as the store has them.
    static func people(_ oss: Harness, _ account: String) async throws -> [Person] {
        try await OSSApp.service(oss.app).people(of: account)
    }

    /// The audit rows of `action`, oldest first.
    static func audited(_ oss: Harness, _ action: String) async throws -> [OSSAuditModel] {
        try await OSSAuditModel.query(on: oss.app.db).filter(\.$action == action).sort(\.$at).all()
    }

    @Test("the first visit asks whom the account schedules for; Save adds them, audited by id, and goes home")
    func firstVisit() async throws {
        try await Harness.with { oss in
            let browser = try await oss.browser(patient: "daughter-1")
            #expect(try await browser.get("/").location == "/people/new")
            let form = try await browser.get("/people/new")
            #expect(form.status == .ok && form.text.contains("Whom do you schedule visits for?"))
            for part in [
                "<legend>Whom do you schedule visits for?</legend>", "name=\"myself\"> Myself</label>",
                "name=\"family\"> A family member</label>", "<label for=\"family_name\">Family member's name</label>",
                "name=\"csrf\" value=\"csrf-token\"", ">Save</button>",
            ] {
                #expect(form.text.contains(part), "\(part)")
            }
            #expect(try await browser.post("/people/new", ["myself": "on", "csrf": "forged"]).status == .forbidden)
            let empty = try await browser.post("/people/new")
            #expect(
                empty.status == .unprocessableEntity && empty.text.contains("Choose Myself, a family member, or both."))
            #expect(try await Self.people(oss, "daughter-1").isEmpty)

            let saved = try await browser.post(
                "/people/new", ["myself": "on", "family": "on", "family_name": Self.walter])
            #expect(saved.location == "/")
            let people = try await Self.people(oss, "daughter-1")
            #expect(people.map(\.displayName) == ["Myself", Self.walter])
            #expect(people.allSatisfy { $0.patient == nil })
            let audit = try await Self.audited(oss, "people.add")
            #expect(Set(audit.map(\.subject)) == Set(people.map(\.id.wire)))
            #expect(Set(audit.compactMap(\.detail)) == ["self", "family"])
            #expect(audit.allSatisfy { $0.actor == "daughter-1" && $0.outcome == "added" })

            let list = try await browser.get("/people")
            #expect(list.text.contains("<h1 id=\"people-heading\">People you schedule for</h1>"))
            #expect(list.text.contains("<strong>Myself</strong>") && list.text.contains(Self.walter))
            #expect(list.text.contains("href=\"/people/new\">Add a family member"))
            // With Myself on the list, adding asks only for a family member's name, and comes back to the list.
            let add = try await browser.get("/people/new")
            #expect(add.text.contains("<h1>Add a family member</h1>") && !add.text.contains("name=\"myself\""))
            #expect(
                try await browser.post("/people/new", ["family": "on", "family_name": "Ann"]).location == "/people")
            let again = try await browser.post("/people/new", ["myself": "on"])
            #expect(again.status == .unprocessableEntity && again.text.contains("You are already on your list."))
            #expect(try await Self.people(oss, "daughter-1").count == 3)
        }
    }

    @Test("Remove takes a person off the lists (audited); another account's person is not found")
    func remove() async throws {
        try await Harness.with { oss in
            let browser = try await oss.browser(patient: "daughter-1")
            _ = try await browser.post("/people/new", ["myself": "on", "family_name": Self.walter])
            let father = try #require(try await Self.people(oss, "daughter-1").last)
            let list = try await browser.get("/people").text
            #expect(list.contains("action=\"/people/\(father.id.wire)/remove\""))
            #expect(list.contains("Remove<span class=\"visually-hidden\"> \(Self.walter)</span>"))

            let stranger = try await oss.browser(patient: "stranger-1")
            let refused = try await stranger.post("/people/\(father.id.wire)/remove")
            #expect(refused.status == .notFound)
            #expect(try await browser.post("/people/\(father.id.wire)/remove", ["csrf": "x"]).status == .forbidden)
            #expect(try await Self.people(oss, "daughter-1").count == 2)

            oss.clock.advance(1)
            let removed = try await browser.post("/people/\(father.id.wire)/remove")
            #expect(removed.location == "/people")
            #expect(try await Self.people(oss, "daughter-1").map(\.displayName) == ["Myself"])
            #expect(!(try await browser.get("/people").text.contains(Self.walter)))
            let audit = try await Self.audited(oss, "people.remove")
            #expect(audit.map(\.outcome) == ["not_found", "removed"])
            #expect(audit.map(\.subject) == [father.id.wire, father.id.wire])
            #expect(audit.map(\.actor) == ["stranger-1", "daughter-1"])
            // Names stay on the pages: no audit row carries one.
            for row in try await OSSAuditModel.query(on: oss.app.db).all() {
                #expect(!"\(row.subject) \(row.detail ?? "")".contains("Walter"))
            }
        }
    }

    @Test("an account already linked to a patient (patient_links) becomes its Myself and goes straight home")
    func migration() async throws {
        try await Harness.with { oss in
            let patient = PatientID.random()
            let link = PatientLinkModel()
            link.id = "old-account"
            link.patientID = patient.rawValue
            try await link.create(on: oss.app.db)
            // Run the move again over a table that now holds the link, as an upgrade does.
            try await M010_CreateManagedPeople().revert(on: oss.app.db)
            try await M010_CreateManagedPeople().prepare(on: oss.app.db)
            let people = try await Self.people(oss, "old-account")
            #expect(people.count == 1)
            #expect(people.first?.relationship == .myself && people.first?.patient == patient)

            let browser = try await oss.browser(patient: "old-account")
            let home = try await browser.get("/")
            #expect(home.status == .ok && home.text.contains("Start a new request"))
            let mine = try #require(people.first)
            #expect(home.text.contains("name=\"person\" value=\"\(mine.id.wire)\""))
            #expect(!home.text.contains("Who is this visit for?"))
        }
    }
}
