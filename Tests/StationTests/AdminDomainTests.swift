import Foundation
import StationDomain
import Testing
import Vocabulary

@Suite("Administration rules")
struct AdminDomainTests {
    static let good = MarketSettings(
        name: " Boulder ", state: "co", timeZone: "America/Denver", zipCodes: ["80301"], opensAt: "08:00",
        closesAt: "20:00", windowMinutes: 120, capacityPerWindow: 4)

    func fields(_ settings: MarketSettings) -> [String] {
        do {
            _ = try settings.validated()
            return []
        } catch {
            return error.entries.map(\.field)
        }
    }

    @Test("good settings are cleaned: name trimmed, state upper-cased")
    func clean() throws {
        let clean = try Self.good.validated()
        #expect(clean.name == "Boulder")
        #expect(clean.state == "CO")
    }

    @Test("each market rule names its field")
    func rules() {
        var s = Self.good
        s.timeZone = "America/Atlantis"
        #expect(fields(s) == ["time_zone"])
        s = Self.good
        s.opensAt = "8:00"
        #expect(fields(s) == ["opens_at"])
        s = Self.good
        s.closesAt = "08:00"
        #expect(fields(s) == ["closes_at"])
        s = Self.good
        s.closesAt = "24:00"
        #expect(fields(s) == [])
        s.windowMinutes = 25
        #expect(fields(s) == ["window_minutes"])
        s.windowMinutes = 90
        #expect(fields(s) == ["window_minutes"]) // 16 hours are not whole 90-minute windows
        s.windowMinutes = 480
        #expect(fields(s) == [])
        s.capacityPerWindow = -1
        #expect(fields(s) == ["capacity_per_window"])
        s.capacityPerWindow = 0
        s.zipCodes = ["80301", "ABCDE", "80301"]
        #expect(fields(s) == ["zip_codes[1]", "zip_codes[2]"])
        s = Self.good
        #expect(s.roadFactor == 1.3 && s.averageSpeedMph == 25)
        s.roadFactor = 0.99
        s.averageSpeedMph = 81
        #expect(fields(s) == ["road_factor", "average_speed_mph"])
        s.roadFactor = .nan
        s.averageSpeedMph = 5
        #expect(fields(s) == ["road_factor"])
        s.roadFactor = 3
        #expect(fields(s) == [])
    }

    @Test("partner slugs are 2 to 40 of a-z, 0-9 and -; markets are listed once")
    func partner() throws {
        let denver = MarketID.random()
        let clean = try PartnerSettings(name: "Alpine", slug: "alpine-2", marketIDs: [denver, denver]).validated()
        #expect(clean.marketIDs == [denver])
        for slug in ["a", "Alpine", "alpine_2", String(repeating: "a", count: 41), "alp ine"] {
            #expect(throws: FieldErrors.self) {
                try PartnerSettings(name: "Alpine", slug: slug, marketIDs: [denver]).validated()
            }
        }
    }

    @Test("service line codes start with a letter; closures need a reason and a day not past")
    func serviceLineAndClosure() throws {
        #expect(throws: FieldErrors.self) { try ServiceLineSettings(name: "X", code: "1abc").validated() }
        #expect(try ServiceLineSettings(name: "Hospice", code: "hospice_2").validated().code == "hospice_2")
        #expect(try ServiceLineSettings(name: "Hospice", code: "hospice").validated().visitMinutes == 60)
        #expect(throws: FieldErrors.self) {
            try ServiceLineSettings(name: "H", code: "h2", visitMinutes: 9).validated()
        }
        #expect(try ServiceLineSettings(name: "H", code: "h2", visitMinutes: 480).validated().visitMinutes == 480)
        let today = try #require(LocalDate(iso: "2026-11-30"))
        let yesterday = try #require(LocalDate(iso: "2026-11-29"))
        #expect(throws: FieldErrors.self) { try Closure(date: yesterday, reason: "Snow").validated(today: today) }
        #expect(try Closure(date: today, reason: " Snow ").validated(today: today).reason == "Snow")
    }

    @Test("a day's interval spans 23 hours on the spring clock change")
    func dayInterval() throws {
        let zone = try #require(TimeZone(identifier: "America/Denver"))
        let day = try #require(LocalDate(iso: "2026-03-08"))
        #expect(day.interval(in: zone).map { Int($0.duration.rounded()) } == 23 * 3600)
    }

    @Test("staff operations refuse a partner's token even when it could reach partner data")
    func staffReach() {
        let partnerToken = TokenReach(
            tenant: .express, isMachine: true, partnerID: PartnerID.random(), scopes: ["station.admin"])
        #expect(partnerToken.refusal(for: .partnerData) == nil)
        #expect(partnerToken.refusal(for: .staffData) == "Partner tokens may not use staff operations.")
        let staff = TokenReach(tenant: .staff, isMachine: false, partnerID: nil, scopes: ["station.admin"])
        #expect(staff.refusal(for: .staffData) == nil)
        let patient = TokenReach(tenant: .patients, isMachine: false, partnerID: nil, scopes: ["station.admin"])
        #expect(patient.refusal(for: .staffData) != nil)
    }
}

@Suite("Care team rules")
struct CareTeamRulesTests {
    @Test("the weekday of a market-local date, Monday first")
    func weekdays() throws {
        let thanksgiving = try #require(LocalDate(iso: "2026-11-26"))
        #expect(CareTeamSettings.Weekday(thanksgiving) == .thursday)
        #expect(CareTeamSettings.Weekday(try #require(LocalDate(iso: "2026-11-29"))) == .sunday)
        #expect(CareTeamSettings.Weekday(try #require(LocalDate(iso: "1999-12-27"))) == .monday)
    }

    @Test("a shift reads as minutes after midnight; the team's shift on a day is found by its weekday")
    func shifts() throws {
        let team = try CareTeamSettings(
            name: "North", baseZip: "80301", serviceLines: ["acute_care"],
            shifts: [
                .init(day: .friday, startsAt: "16:30", endsAt: "24:00"),
                .init(day: .monday, startsAt: "07:00", endsAt: "17:00"),
            ]
        ).validated(marketZips: ["80301"], serviceLineCodes: ["acute_care"])
        #expect(team.shifts.map(\.day) == [.monday, .friday])
        #expect(team.shift(on: .friday)?.minutes == (16 * 60 + 30)...(24 * 60))
        #expect(team.shift(on: .sunday) == nil)
    }
}
