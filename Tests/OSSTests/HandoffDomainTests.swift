import Foundation
import OSSDomain
import Testing
import Vocabulary

@Suite("Handoff rules")
struct HandoffDomainTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let origins = ["http://localhost:8080"]

    func push(
        partner: String = PartnerID.random().wire, user: String = UserID.random().wire, patient: String? = nil,
        returnURL: String = "http://localhost:8080/care-requests/returned"
    ) -> Handoff.Push {
        .init(partner: partner, user: user, patient: patient, returnURL: returnURL, synthetic: false)
    }

    func handoff(_ push: Handoff.Push) throws -> Handoff {
        try Handoff.create(push, handle: "handle", now: Self.now, lifetime: 600, allowedReturnOrigins: Self.origins)
            .get()
    }

    @Test("a handoff is kept under the SHA-256 of its handle, traced by the first 12 hex characters")
    func hashing() throws {
        #expect(Handoff.id(of: "abc").rawValue == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Handoff.fingerprint(of: "abc") == "ba7816bf8f01")
        let made = try handoff(push())
        #expect(made.id == Handoff.id(of: "handle") && made.fingerprint == Handoff.fingerprint(of: "handle"))
        #expect(made.expiresAt == Self.now.addingTimeInterval(600) && made.draft == nil)
    }

    @Test("every bad pushed field is named at once")
    func refusals() {
        let result = Handoff.create(
            push(partner: "x", user: " ", patient: "y", returnURL: "https://evil.example/x"), handle: "h",
            now: Self.now, lifetime: 600, allowedReturnOrigins: Self.origins)
        guard case .failure(let refusal) = result else {
            Issue.record("accepted")
            return
        }
        #expect(refusal.fields.map(\.field) == ["partner_id", "patient_id", "user_id", "return_url"])
        #expect(
            refusal.fields.map(\.message) == [
                "must be a UUID", "must be a UUID", "is required", "must be on an allow-listed Express origin",
            ])
    }

    @Test("only the user it was made for, at their partner, redeems it, once, before it expires")
    func redemption() throws {
        var made = try handoff(push())
        let owner = Owner.partnerUser(made.partner, made.user)
        #expect(made.redemption(by: owner, at: Self.now) == .open)
        #expect(made.redemption(by: .partnerUser(.random(), made.user), at: Self.now) == .forSomeoneElse)
        #expect(made.redemption(by: .partnerUser(made.partner, .random()), at: Self.now) == .forSomeoneElse)
        #expect(made.redemption(by: .patient(account: made.user.wire), at: Self.now) == .forSomeoneElse)
        #expect(made.redemption(by: owner, at: made.expiresAt) == .expired)
        // Once redeemed, the same user lands on the same draft, even after the handle expired.
        let draft = made.startDraft(id: .random(), answers: .init(), now: Self.now)
        made.draft = draft.id
        #expect(made.redemption(by: owner, at: made.expiresAt.addingTimeInterval(3600)) == .redeemed(draft.id))
        #expect(made.redemption(by: .partnerUser(made.partner, .random()), at: Self.now) == .forSomeoneElse)
        #expect(
            draft.owner == owner && draft.audience == .partner && draft.status == .open
                && draft.returnURL == made.returnURL)
    }
}
