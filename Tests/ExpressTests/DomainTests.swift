import ExpressDomain
import Foundation
import Testing
import Vocabulary

/// A team of Sunrise's: one admin, a scheduler and a viewer, unless a test says otherwise.
private struct Fixture {
    let partner = PartnerID.random()
    let admin = TeamMember(id: .random(), role: .admin, active: true)
    let scheduler = TeamMember(id: .random(), role: .scheduler, active: true)
    let viewer = TeamMember(id: .random(), role: .viewer, active: true)

    var team: Team { Team(partner: partner, members: [admin, scheduler, viewer]) }

    func acting(_ member: TeamMember, partner: PartnerID? = nil) -> ActingUser {
        ActingUser(id: member.id, partner: partner ?? self.partner, role: member.role)
    }
}

@Suite("Team rules")
struct TeamRuleTests {
    @Test("only admins manage users")
    func onlyAdmins() {
        let f = Fixture()
        #expect(Team.mayManage(f.acting(f.admin)))
        #expect(!Team.mayManage(f.acting(f.scheduler)))
        #expect(!Team.mayManage(f.acting(f.viewer)))
        #expect(throws: TeamRefusal.notAnAdmin) {
            try f.team.applying(.role(.admin), to: f.scheduler.id, by: f.acting(f.scheduler))
        }
        #expect(throws: TeamRefusal.notAnAdmin) {
            try f.team.applying(.deactivate, to: f.viewer.id, by: f.acting(f.viewer))
        }
    }

    @Test("an admin of another partner changes no one here, and a stranger is not on the team")
    func otherPartners() {
        let f = Fixture()
        #expect(throws: TeamRefusal.notAnAdmin) {
            try f.team.applying(.deactivate, to: f.viewer.id, by: f.acting(f.admin, partner: .random()))
        }
        #expect(throws: TeamRefusal.notOnTeam) {
            try f.team.applying(.deactivate, to: .random(), by: f.acting(f.admin))
        }
    }

    @Test(
        "the last active admin can be neither demoted nor deactivated",
        arguments: [
            TeamChange.deactivate, .role(.scheduler), .role(.viewer),
        ])
    func lastAdmin(change: TeamChange) {
        let f = Fixture()
        #expect(throws: TeamRefusal.lastAdmin) { try f.team.applying(change, to: f.admin.id, by: f.acting(f.admin)) }
    }

    @Test("an admin reactivates and edits teammates; others may not")
    func reactivateAndEdit() throws {
        let f = Fixture()
        let without = try f.team.applying(.deactivate, to: f.viewer.id, by: f.acting(f.admin))
        let back = try without.applying(.reactivate, to: f.viewer.id, by: f.acting(f.admin))
        #expect(back == f.team)
        #expect(
            try f.team.applying(.details(name: "Vi", email: "vi@x.example"), to: f.viewer.id, by: f.acting(f.admin))
                == f.team)
        #expect(throws: TeamRefusal.notAnAdmin) {
            try without.applying(.reactivate, to: f.viewer.id, by: f.acting(f.scheduler))
        }
        #expect(throws: TeamRefusal.notAnAdmin) {
            try f.team.applying(.details(name: "Vi", email: "vi@x.example"), to: f.viewer.id, by: f.acting(f.viewer))
        }
    }

    @Test("with a second active admin, either may step down or be deactivated")
    func secondAdmin() throws {
        let f = Fixture()
        let other = TeamMember(id: .random(), role: .admin, active: true)
        let team = Team(partner: f.partner, members: f.team.members + [other])
        let demoted = try team.applying(.role(.viewer), to: f.admin.id, by: f.acting(f.admin))
        #expect(demoted.member(f.admin.id)?.role == .viewer)
        let deactivated = try team.applying(.deactivate, to: other.id, by: f.acting(f.admin))
        #expect(deactivated.member(other.id)?.active == false)
        // Once one has gone, the other is the last.
        #expect(throws: TeamRefusal.lastAdmin) { try demoted.applying(.deactivate, to: other.id, by: f.acting(other)) }
    }

    @Test("a deactivated admin does not count, and changing one takes no admin away")
    func inactiveAdmins() throws {
        let f = Fixture()
        let gone = TeamMember(id: .random(), role: .admin, active: false)
        let team = Team(partner: f.partner, members: f.team.members + [gone])
        #expect(throws: TeamRefusal.lastAdmin) {
            try team.applying(.role(.viewer), to: f.admin.id, by: f.acting(f.admin))
        }
        #expect(try team.applying(.role(.viewer), to: gone.id, by: f.acting(f.admin)).member(gone.id)?.role == .viewer)
    }

    @Test("anyone may be made an admin, and other changes to non-admins are allowed")
    func promotions() throws {
        let f = Fixture()
        #expect(
            try f.team.applying(.role(.admin), to: f.viewer.id, by: f.acting(f.admin)).member(f.viewer.id)?.role
                == .admin)
        #expect(try f.team.applying(.role(.admin), to: f.admin.id, by: f.acting(f.admin)) == f.team)
        #expect(
            try f.team.applying(.deactivate, to: f.scheduler.id, by: f.acting(f.admin)).member(f.scheduler.id)?.active
                == false)
    }
}

@Suite("Express wording and audit ids")
struct WordingTests {
    @Test("who created a request reads as you, a teammate's name, or a dash")
    func createdBy() {
        let me = UserID.random()
        let other = UserID.random()
        #expect(Wording.createdBy((me, "Sam Scheduler"), viewer: me) == "You")
        #expect(Wording.createdBy((other, "Sam Scheduler"), viewer: me) == "Sam Scheduler")
        #expect(Wording.createdBy(nil, viewer: me) == "—")
    }

    @Test("ages read in the largest whole unit")
    func relative() {
        let now = Date(timeIntervalSince1970: 1_000_000)
        #expect(Wording.relative(now.addingTimeInterval(-30), now: now) == "just now")
        #expect(Wording.relative(now.addingTimeInterval(-60), now: now) == "1 minute ago")
        #expect(Wording.relative(now.addingTimeInterval(-7200), now: now) == "2 hours ago")
        #expect(Wording.relative(now.addingTimeInterval(60), now: now) == "in the future")
    }

    @Test("audit id lists are lowercase and space-delimited, so a search matches whole ids only")
    func idList() {
        let id = CareRequestID.random()
        #expect(AuditEntry.idList([]) == "")
        #expect(AuditEntry.idList([id.rawValue.uuidString]) == " \(id.wire) ")
        #expect(AuditEntry.idList([id.wire]).contains(AuditEntry.idPattern(id.rawValue.uuidString)))
        // Whitespace inside an id goes, on the ASCII path and the general one alike.
        #expect(AuditEntry.idList(["AB c\t9", "Ä B"]) == " abc9 äb ")
        #expect(AuditEntry(action: "x", careRequests: [id], outcome: "success").careRequestIDs == [id.wire])
    }

    @Test("online scheduling is in effect only with care requests")
    func flags() {
        #expect(FeatureFlag.inEffect([.ossHandoff]).isEmpty)
        #expect(FeatureFlag.inEffect([.ossHandoff, .stationCareRequests]) == [.ossHandoff, .stationCareRequests])
    }

    @Test("a change closed to online scheduling says why: the visit started, a nurse will call, or it ended")
    func phonePageReasons() {
        let reasons = CareRequestStatus.allCases.map { ($0, PhonePageReason(changeClosedAt: $0)) }
        for (status, reason) in reasons {
            switch status {
            case .onRoute, .onScene: #expect(reason == .visitStarted, "\(status)")
            case .pendingTriage, .requested, .accepted, .scheduled: #expect(reason == .awaitingNurseCall, "\(status)")
            case .complete, .archived: #expect(reason == .requestEnded, "\(status)")
            }
        }
    }
}
