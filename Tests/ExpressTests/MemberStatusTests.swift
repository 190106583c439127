import ExpressDomain
import Testing

@Suite("Member status")
struct MemberStatusTests {
    @Test(
        "an active teammate's status follows their invitation",
        arguments: [
            (InvitationState.sent, "Invitation sent", MemberStatus.InvitationAction.resend),
            (.opened, "Invitation opened", .resend),
            (.expired, "Invitation expired", .renew),
        ])
    func invitation(state: InvitationState, words: String, action: MemberStatus.InvitationAction) {
        let status = MemberStatus(active: true, invitation: state)
        #expect(status.words == words && status.invitationAction == action && !status.mayReactivate)
    }

    @Test(
        "an accepted, seeded or unknown invitation reads Active, with nothing to send",
        arguments: [InvitationState.accepted, InvitationState.none, nil])
    func active(state: InvitationState?) {
        #expect(MemberStatus(active: true, invitation: state) == MemberStatus(active: true, invitation: .accepted))
        #expect(MemberStatus(active: true, invitation: state).words == "Active")
        #expect(MemberStatus(active: true, invitation: state).invitationAction == nil)
    }

    @Test("a deactivated teammate reads Deactivated and may be reactivated, whatever their invitation")
    func deactivated() {
        for state in InvitationState.allCases + [nil] {
            let status = MemberStatus(active: false, invitation: state)
            #expect(status.words == "Deactivated" && status.mayReactivate && status.invitationAction == nil)
        }
    }

    @Test("the buttons say what they do")
    func labels() {
        #expect(MemberStatus.InvitationAction.resend.label == "Resend invitation")
        #expect(MemberStatus.InvitationAction.renew.label == "Send a new invitation")
    }
}
