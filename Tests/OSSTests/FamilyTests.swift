import Fluent
import Foundation
import NIOConcurrencyHelpers
import OSSDomain
import TestSupport
import Testing
import Vapor
import Vocabulary

@testable import OSS

/// An account that schedules for itself and a family member: whom each visit is for, "My requests" for both, and
/// nobody else's requests.
@Suite("Scheduling for family")
struct FamilyTests {
    typealias Harness = OSSHarness
    static let account = "daughter-1"
    static let walter = "Walter Jones (father)"

    /// A signed-in daughter who schedules for herself and her father; their ids as the store has them.
    static func daughter(_ oss: Harness) async throws -> (TestBrowser, me: Person, father: Person) {
        let browser = try await oss.browser(patient: account)
        _ = try await browser.post("/people/new", ["myself": "on", "family": "on", "family_name": walter])
        let people = try await OSSApp.service(oss.app).people(of: account)
        return (browser, try #require(people.first), try #require(people.last))
    }

    @Test("home asks who the visit is for; the draft remembers the person and the first request links their record")
    func chooser() async throws {
        try await Harness.with { oss in
            let world = oss.stationSchedules()
            let (browser, me, father) = try await Self.daughter(oss)
            let home = try await browser.get("/")
            #expect(home.text.contains("<legend>Who is this visit for?</legend>"))
            #expect(home.text.contains("name=\"person\" value=\"\(me.id.wire)\"> Myself</label>"))
            #expect(home.text.contains("name=\"person\" value=\"\(father.id.wire)\"> \(Self.walter)</label>"))
            #expect(home.text.contains(">Start</button>"))
            let unchosen = try await browser.post("/drafts")
            #expect(unchosen.status == .unprocessableEntity && unchosen.text.contains("Choose who this visit is for."))
            let strangers = try await oss.browser(patient: "stranger-1")
            _ = try await strangers.post("/people/new", ["myself": "on"])
            let theirs = try #require(try await OSSApp.service(oss.app).people(of: "stranger-1").first)
            #expect(try await browser.post("/drafts", ["person": theirs.id.wire]).status == .unprocessableEntity)

            let start = try #require(try await browser.post("/drafts", ["person": father.id.wire]).location)
            #expect(!start.contains("Walter"))
            let step = try await browser.get(start).text
            #expect(step.contains("Tell us about your family member."))
            let base = start.replacingOccurrences(of: "/patient", with: "")
            _ = try await browser.post(
                base + "/patient",
                [
                    "given_name": "Walter", "family_name": "Jones", "date_of_birth": "1940-01-02", "sex": "male",
                    "phone": "303-555-0150",
                ])
            _ = try await browser.post(base + "/reason", ["chief_complaint": "Fever", "symptom_cough": "on"])
            _ = try await browser.post(
                base + "/location", ["line1": "2 Colfax Ave", "city": "Denver", "state": "CO", "zip": "80203"])
            let value = try #require(oss.windowValues(try await browser.get(base + "/window").text).first)
            _ = try await browser.post(base + "/window", ["window": value])
            _ = try await browser.post(base + "/details", ["self_pay": "on", "callback_phone": "303-555-0150"])
            #expect(try await browser.post(base + "/submit").location?.hasSuffix("?created=1") == true)

            let made = try #require(world.made.first?.request)
            let people = try await OSSApp.service(oss.app).people(of: Self.account)
            #expect(people.last?.patient == made.patient && people.first?.patient == nil)
            // Walter's next visit starts from his record.
            let next = try #require(try await browser.post("/drafts", ["person": father.id.wire]).location)
            #expect(try await browser.get(next).text.contains("Walter Jones"))
            let mine = try #require(try await browser.post("/drafts", ["person": me.id.wire]).location)
            #expect(try await browser.get(mine).text.contains("Tell us about yourself."))
        }
    }

    @Test("My requests lists both people's requests together, a page at a time, each saying whose it is")
    func myRequests() async throws {
        try await Harness.with { oss in
            let (browser, me, father) = try await Self.daughter(oss)
            let service = try OSSApp.service(oss.app)
            let mine = PatientID.random()
            let his = PatientID.random()
            try await service.link(me.id, to: mine)
            try await service.link(father.id, to: his)
            func summary(_ patient: PatientID) -> CareRequestSummary {
                CareRequestSummary(
                    id: .random(), status: .requested, market: StationWorld.denver.id,
                    createdAt: Date(timeIntervalSince1970: 1_796_000_000), patient: patient)
            }
            let first = [summary(his), summary(mine)]
            let older = [summary(his)]
            let asked = NIOLockedValueBox<[[PatientID]]>([])
            oss.station.stub {
                $0.markets = { [StationWorld.denver] }
                $0.careRequests = { patients, cursor, _ in
                    asked.withLockedValue { $0.append(patients) }
                    return cursor == nil
                        ? CareRequestPage(items: first, nextCursor: "next-1")
                        : CareRequestPage(items: older, nextCursor: nil)
                }
            }
            let page = try await browser.get("/requests")
            #expect(page.text.contains("<p class=\"whose\">For: \(Self.walter)</p>"))
            #expect(page.text.contains("<p class=\"whose\">For: Myself</p>"))
            for request in first { #expect(page.text.contains("href=\"/requests/\(request.id.wire)\"")) }
            #expect(page.text.contains("href=\"/requests?cursor=next-1\">Older requests"))
            let next = try await browser.get("/requests?cursor=next-1")
            #expect(next.text.contains("href=\"/requests/\(older[0].id.wire)\""))
            #expect(asked.withLockedValue { $0 } == [[mine, his], [mine, his]])

            // A removed person's requests leave the list (they stay in Station).
            _ = try await browser.post("/people/\(father.id.wire)/remove")
            _ = try await browser.get("/requests")
            #expect(asked.withLockedValue { $0 }.last == [mine])
        }
    }

    @Test("a family member's request opens and changes for the account; anyone else's is not found, audited")
    func changes() async throws {
        try await Harness.with { oss in
            let world = oss.changeWorld(partner: nil)
            let id = world.current.id
            let (browser, _, father) = try await Self.daughter(oss)
            let service = try OSSApp.service(oss.app)
            try await service.link(father.id, to: world.current.patient)
            // Walter has his own account too: he is its "Myself".
            try await service.link(account: "walter-1", to: world.current.patient)

            let stranger = try await oss.browser(patient: "stranger-1")
            _ = try await stranger.post("/people/new", ["myself": "on"])
            try await service.link(account: "stranger-1", to: .random())
            let hidden = try await stranger.get("/requests/\(id.wire)")
            #expect(hidden.status == .notFound && !hidden.text.contains("Sunrise Way"))
            #expect(try await stranger.get("/requests/\(id.wire)/cancel").status == .notFound)
            let refused = try await OSSAuditModel.query(on: oss.app.db).filter(\.$actor == "stranger-1")
                .filter(\.$subject == id.wire).all()
            #expect(Set(refused.map(\.action)) == ["care_request.view", "care_request.change_open"])
            #expect(refused.allSatisfy { $0.outcome == "not_found" })

            #expect(try await browser.get("/requests/\(id.wire)").status == .ok)
            let page = "/requests/\(id.wire)/cancel"
            #expect(try await browser.post(page, ["reason": "scheduled_elsewhere"]).location == page + "/confirm")
            #expect(try await browser.post(page + "/confirm").location == "/requests/\(id.wire)?changed=cancelled")
            #expect(
                oss.policy.changeQuestions.last
                    == ChangeQuestion(
                        asker: .patient(account: Self.account), roles: [], careRequest: id, requestPartner: nil,
                        requestOwner: "walter-1", managingAccounts: [Self.account, "walter-1"]))
            let sent = try #require(world.cancellations.first)
            #expect(sent.requester == ChangeRequester(scope: .patient(world.current.patient), onBehalfOf: Self.account))
        }
    }

    @Test("Policy's refusal of a family member's change is shown and its decision id audited")
    func refusedByPolicy() async throws {
        try await Harness.with { oss in
            let world = oss.changeWorld(partner: nil)
            let (browser, _, father) = try await Self.daughter(oss)
            try await OSSApp.service(oss.app).link(father.id, to: world.current.patient)
            oss.policy.stubMayChange { _ in PolicyDecision(allowed: false, id: "dec_family_no", reason: "no") }
            let page = try await browser.get("/requests/\(world.current.id.wire)/cancel")
            #expect(page.status == .forbidden)
            let audit = try await OSSAuditModel.query(on: oss.app.db).filter(\.$outcome == "denied").all()
            #expect(audit.map(\.detail) == ["dec_family_no"])
        }
    }
}
