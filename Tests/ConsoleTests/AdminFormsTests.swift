import ConsoleDomain
import Testing
import Vocabulary

@Suite("Admin forms: partners")
struct PartnerFormTests {
    let market = MarketID.random()

    func form(_ change: (inout PartnerForm) -> Void = { _ in }) -> PartnerForm {
        var form = PartnerForm(
            name: "Alpine Assisted Living", marketIDs: [market.wire], stationCareRequests: true, ossHandoff: true,
            adminEmail: " Ada@Alpine.Example ", adminName: "Ada Admin")
        change(&form)
        return form
    }

    func errors(_ form: PartnerForm) -> FormErrors {
        do {
            _ = try form.validated(markets: [market])
            return FormErrors()
        } catch { return error }
    }

    @Test func aValidFormMakesThePartnerWithASlugFromItsName() throws {
        let partner = try form().validated(markets: [market])
        #expect(partner.name == "Alpine Assisted Living")
        #expect(partner.slug.value == "alpine-assisted-living")
        #expect(partner.markets == [market])
        #expect(partner.phases == Phases(stationCareRequests: true, ossHandoff: true))
        #expect(partner.firstAdmin == FirstAdmin(email: "ada@alpine.example", name: "Ada Admin"))
    }

    @Test func aTypedSlugIsKeptAndChecked() throws {
        #expect(try form { $0.slug = "alpine-2" }.validated(markets: [market]).slug.value == "alpine-2")
        for bad in ["A-lpine", "a", "-alpine", "alpine-", "alp ine", String(repeating: "a", count: 41)] {
            #expect(errors(form { $0.slug = bad })["slug"] != nil, "\(bad)")
        }
    }

    @Test func slugsAreSuggestedFromNames() {
        #expect(Slug.suggested(from: "Alpine Assisted Living") == "alpine-assisted-living")
        #expect(Slug.suggested(from: "  Café  Müller & Söhne!! ") == "cafe-muller-sohne")
        #expect(Slug.suggested(from: "St. Mary's -- Home #2") == "st-mary-s-home-2")
        #expect(Slug.suggested(from: "東京") == "")
        let long = Slug.suggested(from: "The Very Long Name Of A Senior Living Community Group")
        #expect(long == "the-very-long-name-of-a-senior-living")
        #expect(Slug(long) != nil)
        #expect(Slug.suggested(from: String(repeating: "x", count: 50)).count == 40)
    }

    @Test func everyBadFieldIsReportedAtOnce() {
        let errors = errors(
            PartnerForm(
                name: " ", marketIDs: [], stationCareRequests: false, ossHandoff: true, adminEmail: "ada",
                adminName: ""))
        #expect(Set(errors.messages.keys) == ["name", "market_ids", "oss_handoff", "admin_email", "admin_name"])
    }

    @Test func phaseTwoNeedsPhaseOne() throws {
        #expect(errors(form { $0.stationCareRequests = false })["oss_handoff"] != nil)
        let phaseOne = try form { $0.ossHandoff = false }.validated(markets: [market])
        #expect(phaseOne.phases == Phases(stationCareRequests: true, ossHandoff: false))
        let none = try form { ($0.ossHandoff, $0.stationCareRequests) = (false, false) }.validated(markets: [market])
        #expect(none.phases == Phases(stationCareRequests: false, ossHandoff: false))
    }

    @Test func marketsMustExistAndAreKeptOnce() throws {
        #expect(errors(form { $0.marketIDs = [MarketID.random().wire] })["market_ids"] != nil)
        #expect(errors(form { $0.marketIDs = ["nonsense"] })["market_ids"] != nil)
        let other = MarketID.random()
        let partner = try form { $0.marketIDs = [market.wire, other.wire, market.wire] }
            .validated(markets: [market, other])
        #expect(partner.markets == [market, other])
    }

    @Test func namesRefuseControlCharactersAndLength() {
        #expect(errors(form { $0.name = "Alpine\u{202E}" })["name"] != nil)
        #expect(errors(form { $0.adminName = String(repeating: "n", count: 101) })["admin_name"] != nil)
        #expect(errors(form { $0.adminEmail = "a@b" })["admin_email"] != nil)
        #expect(errors(form { $0.adminEmail = "a b@example.com" })["admin_email"] != nil)
    }
}

@Suite("Admin forms: markets, closures, service lines")
struct MarketFormTests {
    let valid = MarketForm(
        name: "Boulder", state: "co", timeZone: "America/Denver", zipCodes: "80301, 80302\n80303 80301;80304",
        opensAt: "8:00", closesAt: "20:00", windowMinutes: "120", capacityPerWindow: "4")

    func errors(_ change: (inout MarketForm) -> Void) -> FormErrors {
        var form = valid
        change(&form)
        do {
            _ = try form.validated()
            return FormErrors()
        } catch { return error }
    }

    @Test func aValidFormMakesTheSettings() throws {
        let settings = try valid.validated()
        #expect(settings.state == "CO")
        #expect(settings.zipCodes == ["80301", "80302", "80303", "80304"])
        #expect(settings.opensAt.description == "08:00" && settings.closesAt.minutes == 1200)
        #expect(settings.windowMinutes == 120 && settings.capacityPerWindow == 4)
        #expect(settings.roadFactor == 1.3 && settings.averageSpeedMph == 25)
        #expect(try MarketForm(settings).validated() == settings)
        var faster = valid
        (faster.roadFactor, faster.averageSpeedMph) = ("1.25", "35")
        let travel = try faster.validated()
        #expect(travel.roadFactor == 1.25 && travel.averageSpeedMph == 35)
        #expect(MarketForm(travel).roadFactor == "1.25" && MarketForm(travel).averageSpeedMph == "35")
    }

    @Test func eachFieldIsChecked() {
        #expect(errors { $0.name = "" }["name"] != nil)
        #expect(errors { $0.state = "Colorado" }["state"] != nil)
        #expect(errors { $0.timeZone = "Mars/Olympus" }["time_zone"] != nil)
        #expect(errors { $0.timeZone = "MST" }["time_zone"] != nil)
        #expect(errors { $0.zipCodes = "" }["zip_codes"] != nil)
        #expect(
            errors { $0.zipCodes = "80301 8030 803011 abcde" }["zip_codes"]?.contains("8030, 803011, abcde") == true)
        #expect(errors { $0.opensAt = "8am" }["opens_at"] != nil)
        #expect(errors { $0.closesAt = "24:30" }["closes_at"] != nil)
        #expect(errors { $0.closesAt = "07:00" }["closes_at"] != nil)
        #expect(errors { $0.windowMinutes = "20" }["window_minutes"] != nil)
        #expect(errors { $0.windowMinutes = "100" }["window_minutes"] != nil) // 720 minutes of hours
        #expect(errors { $0.windowMinutes = "90" }.isEmpty)
        #expect(errors { $0.capacityPerWindow = "101" }["capacity_per_window"] != nil)
        #expect(errors { $0.capacityPerWindow = "-1" }["capacity_per_window"] != nil)
        #expect(errors { $0.capacityPerWindow = "0" }.isEmpty)
        #expect(errors { $0.closesAt = "24:00" }.isEmpty)
        for factor in ["0.9", "3.5", "1,3", "", "1.3x", "nan", "1e1"] {
            #expect(errors { $0.roadFactor = factor }["road_factor"] != nil, "\(factor)")
        }
        #expect(errors { $0.roadFactor = " 1.25 " }.isEmpty)
        #expect(errors { $0.averageSpeedMph = "4" }["average_speed_mph"] != nil)
        #expect(errors { $0.averageSpeedMph = "30.5" }["average_speed_mph"] != nil)
        #expect(errors { $0.averageSpeedMph = "80" }.isEmpty)
    }

    @Test func closuresNeedARealDateAndAReason() throws {
        let closure = try ClosureForm(date: "2026-12-25", reason: " Christmas ").validated()
        #expect(closure.date.iso == "2026-12-25" && closure.reason == "Christmas")
        for bad in ["2026-02-30", "2026-13-01", "26-12-25", "2026-1-05", "tomorrow"] {
            #expect(throws: FormErrors.self, "\(bad)") { try ClosureForm(date: bad, reason: "x").validated() }
        }
        #expect(throws: FormErrors(["reason": "Enter the reason, such as a holiday."])) {
            try ClosureForm(date: "2028-02-29", reason: "").validated()
        }
    }

    @Test func serviceLinesNeedANameAndACode() throws {
        #expect(try ServiceLineForm(name: "Hospice", code: " Hospice_Care ").validated().code == "hospice_care")
        #expect(throws: FormErrors.self) { try ServiceLineForm(name: "Hospice", code: "2hospice").validated() }
        #expect(throws: FormErrors.self) { try ServiceLineForm(name: "Hospice", code: "hospice care").validated() }
        #expect(throws: FormErrors.self) { try ServiceLineForm(name: "", code: "hospice").validated() }
    }

    @Test func servicesFieldErrorsLandBesideTheirFields() {
        var errors = FormErrors()
        errors.add(servicePath: "zip_codes[1]", "80302 is served by Denver", fields: MarketForm.Field.all)
        errors.add(
            servicePath: "first_admin.email", "in use", renamed: PartnerForm.Field.renamed,
            fields: PartnerForm.Field.all)
        errors.add(servicePath: "/time_zone", "unknown", fields: MarketForm.Field.all)
        errors.add(servicePath: "something_else", "odd", fields: MarketForm.Field.all)
        #expect(
            errors.messages == [
                "zip_codes": "80302 is served by Denver", "admin_email": "in use", "time_zone": "unknown",
                "form": "odd",
            ])
    }
}

@Suite("Care team form")
struct CareTeamFormTests {
    @Test("days with both times become shifts, Monday first; empty days are days off")
    func shifts() throws {
        let form = CareTeamForm(
            name: " North ", baseZip: "80202", serviceLines: ["acute_care"],
            hours: ["friday": ("12:00", "24:00"), "monday": ("07:00", "17:00"), "sunday": ("", "")])
        let team = try form.validated()
        #expect(team.name == "North")
        #expect(team.shifts.map(\.day) == ["monday", "friday"])
        #expect(team.shifts.last?.endsAt == "24:00")
    }

    @Test(
        "each wrong day is named beside its own field",
        arguments: [
            ("07:00", "", "tuesday_ends_at"), ("", "17:00", "tuesday_starts_at"),
            ("7:00", "17:00", "tuesday_starts_at"),
            ("07:00", "24:01", "tuesday_ends_at"), ("18:00", "08:00", "tuesday_ends_at"),
            ("07:60", "17:00", "tuesday_starts_at"),
        ])
    func wrongDay(starts: String, ends: String, field: String) {
        let form = CareTeamForm(
            name: "North", baseZip: "80202", serviceLines: ["acute_care"],
            hours: ["monday": ("07:00", "17:00"), "tuesday": (starts, ends)])
        #expect(throws: FormErrors.self) { try form.validated() }
        do {
            _ = try form.validated()
        } catch {
            #expect(Array(error.messages.keys) == [field])
        }
    }

    @Test("a team needs a name, a base, a service line and a day's shift")
    func required() {
        do {
            _ = try CareTeamForm().validated()
            Issue.record("an empty form was accepted")
        } catch {
            #expect(Set(error.messages.keys) == ["name", "base_zip", "service_lines"])
        }
        do {
            _ = try CareTeamForm(name: "North", baseZip: "80202", serviceLines: ["lab"]).validated()
            Issue.record("a team without shifts was accepted")
        } catch {
            #expect(Set(error.messages.keys) == ["shifts"])
        }
    }
}
