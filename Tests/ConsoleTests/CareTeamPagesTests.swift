import ConsoleDomain
import Foundation
import Station
import TestSupport
import Testing
import Vapor
import Vocabulary

@testable import Console

/// A market's care teams in Console, against a real Station with the demo data.
@Suite("Console care team pages")
struct CareTeamPagesTests {
    let path = "/admin/markets/\(DemoData.denver.wire)"

    func form(_ name: String, extra: [(String, String)] = []) -> [(String, String)] {
        [
            ("csrf", "csrf-\(StaffMember.ops.id)"), ("name", name), ("base_zip", "80202"),
            ("service_lines", "acute_care"), ("service_lines", "bridge_care"),
            ("monday_starts_at", "07:00"), ("monday_ends_at", "17:00"),
            ("wednesday_starts_at", "09:00"), ("wednesday_ends_at", "19:00"),
        ] + extra
    }

    @Test(
        "an operations admin adds a care team, sees it on the market's page, changes it and removes it, each change audited"
    )
    func lifecycle() async throws {
        try await ConsoleHarness.with { console in
            let browser = try await console.signIn(as: .ops)
            let new = try await browser.get(path + "/care-teams/new")
            #expect(new.status == .ok)
            #expect(new.text.contains(#"<option value="80202">80202</option>"#))
            #expect(new.text.contains(#"name="service_lines" value="acute_care""#))
            #expect(new.text.contains(#"id="sunday_ends_at""#))

            let created = try await browser.send(.POST, path + "/care-teams", form: form("Team Larimer"))
            #expect(created.status == .seeOther, "\(created.text)")
            let market = try await browser.get(path)
            #expect(market.text.contains("Team Larimer"))
            #expect(market.text.contains("Mon 07:00–17:00, Wed 09:00–19:00"))
            #expect(market.text.contains("Acute care, Bridge care after discharge"))

            let token = try await console.stationToken(for: .ops)
            let station = AdminStation(client: console.service.station.client(token: token))
            let team = try #require(try await station.careTeams(DemoData.denver).first { $0.name == "Team Larimer" })
            #expect(team.baseZip == "80202" && team.serviceLines == ["acute_care", "bridge_care"])

            let edit = try await browser.get(path + "/care-teams/\(team.id)")
            #expect(edit.text.contains(#"value="Team Larimer""#) && edit.text.contains(#"value="09:00""#))
            #expect(edit.text.contains(#"<option value="80202" selected>"#))
            var changed = form("Team Larimer", extra: [("friday_starts_at", "12:00"), ("friday_ends_at", "22:00")])
            changed.removeAll { $0 == ("monday_starts_at", "07:00") || $0 == ("monday_ends_at", "17:00") }
            let saved = try await browser.send(.POST, path + "/care-teams/\(team.id)", form: changed)
            #expect(saved.status == .seeOther, "\(saved.text)")
            let after = try #require(try await station.careTeams(DemoData.denver).first { $0.id == team.id })
            #expect(after.shifts.map(\.day.rawValue) == ["wednesday", "friday"])

            let removed = try await browser.send(
                .POST, path + "/care-teams/\(team.id)/remove", form: [("csrf", "csrf-\(StaffMember.ops.id)")])
            #expect(removed.status == .seeOther)
            #expect(try await station.careTeams(DemoData.denver).allSatisfy { $0.id != team.id })
            for action in ["care_team.created", "care_team.updated", "care_team.removed"] {
                #expect(try await console.audit(action).first?.outcome == "success", "\(action)")
            }
        }
    }

    @Test("a refused team comes back with everything typed, Console's and Station's words beside the right fields")
    func refusals() async throws {
        try await ConsoleHarness.with { console in
            let browser = try await console.signIn(as: .ops)
            // Half a shift: Console says so before Station is asked.
            let half = try await browser.send(
                .POST, path + "/care-teams", form: form("Team Half", extra: [("tuesday_starts_at", "08:00")]))
            #expect(half.status == .unprocessableEntity)
            #expect(half.text.contains(#"id="tuesday_ends_at-error""#))
            #expect(half.text.contains(#"value="Team Half""#) && half.text.contains(#"value="08:00""#))

            // A shift ending before it starts, and a time that is not one: beside that day's fields.
            var backwards = form("Team Backwards", extra: [("friday_starts_at", "7am"), ("friday_ends_at", "17:00")])
            backwards.removeAll { $0.0 == "wednesday_ends_at" }
            backwards.append(("wednesday_ends_at", "06:00"))
            let wrong = try await browser.send(.POST, path + "/care-teams", form: backwards)
            #expect(wrong.status == .unprocessableEntity, "\(wrong.text)")
            #expect(
                wrong.text.contains(#"id="wednesday_ends_at-error""#) && wrong.text.contains("must end after it starts")
            )
            #expect(wrong.text.contains(#"id="friday_starts_at-error""#))
            #expect(wrong.text.contains(#"name="service_lines" value="bridge_care" checked"#))

            // A base outside the market (the page offers only the market's): Station's words, beside the base.
            var outside = form("Team Outside")
            outside.removeAll { $0.0 == "base_zip" }
            outside.append(("base_zip", "85004"))
            let refused = try await browser.send(.POST, path + "/care-teams", form: outside)
            #expect(refused.status == .unprocessableEntity, "\(refused.text)")
            #expect(refused.text.contains(#"id="base_zip-error""#))
            #expect(refused.text.contains("must be one of the market"))
            #expect(refused.text.contains(#"value="Team Outside""#))
            #expect(try await console.audit("care_team.created").first?.outcome == "failed")

            #expect(try await browser.send(.POST, path + "/care-teams", form: form("Team Twice")).status == .seeOther)
            let taken = try await browser.send(.POST, path + "/care-teams", form: form("team twice"))
            #expect(taken.status == .conflict)
            #expect(taken.text.contains(#"id="name-error""#))
        }
    }

    @Test("care teams are for operations admins only")
    func othersAreRefused() async throws {
        try await ConsoleHarness.with { console in
            for staff in [StaffMember.nurse, .dispatcher] {
                let browser = try await console.signIn(as: staff)
                #expect(try await browser.get(path + "/care-teams/new").status == .forbidden)
                let post = try await browser.send(
                    .POST, path + "/care-teams",
                    form: form("Team Sneaky").map { $0.0 == "csrf" ? ("csrf", "csrf-\(staff.id)") : $0 })
                #expect(post.status == .forbidden)
            }
        }
    }

    @Test("the market's page sums a week up: consecutive days with the same hours together")
    func weekInShort() {
        #expect(
            CareTeamRow.hours([
                ("tuesday", "07:00–17:00"), ("monday", "07:00–17:00"), ("wednesday", "07:00–17:00"),
                ("friday", "07:00–17:00"), ("saturday", "09:00–13:00"),
            ]) == "Mon–Wed 07:00–17:00, Fri 07:00–17:00, Sat 09:00–13:00")
        #expect(CareTeamRow.hours([("sunday", "08:00–12:00")]) == "Sun 08:00–12:00")
        #expect(CareTeamRow.hours([]) == "")
    }
}
