import Foundation
import IdentityDomain
import Testing

@Suite("An invitation's state, from its dates")
struct InvitationDomainTests {
    let sent = Date(timeIntervalSince1970: 1_800_000_000)
    var invitation: Invitation { Invitation(sentAt: sent, expiresAt: sent.addingTimeInterval(72 * 3600)) }

    @Test("sent until opened, opened until accepted, accepted for good")
    func forward() {
        var invitation = invitation
        let later = sent.addingTimeInterval(3600)
        #expect(invitation.state(at: later) == .sent)
        invitation.openedAt = later
        #expect(invitation.state(at: later) == .opened)
        #expect(invitation.isUsable(at: later))
        invitation.acceptedAt = later
        #expect(invitation.state(at: later) == .accepted)
        #expect(invitation.state(at: sent.addingTimeInterval(100 * 3600)) == .accepted)
        #expect(!invitation.isUsable(at: later))
    }

    @Test("an unused link expires at its time or when a newer one revokes it; no link at all is none")
    func expiry() {
        var invitation = invitation
        #expect(invitation.state(at: invitation.expiresAt.addingTimeInterval(-1)) == .sent)
        #expect(invitation.state(at: invitation.expiresAt) == .expired)
        #expect(!invitation.isUsable(at: invitation.expiresAt))
        invitation.revokedAt = sent.addingTimeInterval(60)
        #expect(invitation.state(at: sent.addingTimeInterval(120)) == .expired)
        #expect(Invitation.state(of: nil, at: sent) == .none)
    }

    @Test("the email says how long the link works in whole units")
    func lifetimeWords() {
        #expect(Invitation.lifetimeText(72 * 3600) == "72 hours")
        #expect(Invitation.lifetimeText(3600) == "1 hour")
        #expect(Invitation.lifetimeText(30 * 60) == "30 minutes")
        #expect(Invitation.lifetimeText(45) == "45 seconds")
        #expect(Invitation.lifetimeText(7 * 86_400) == "7 days")
    }
}
