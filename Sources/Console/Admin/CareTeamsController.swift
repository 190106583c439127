import ConsoleDomain
import Foundation
import StationAPI
import Vapor
import Vocabulary

/// `/admin/markets/:id/care-teams`: a market's care teams (their bases, service lines and shifts, which the dispatch
/// planner routes): add one, change one, remove one. Station validates again and has the last word (a base outside
/// the market, a time that is not a time, a name another team has); its words appear beside the fields, with
/// everything typed kept. Listed on the market's page.
struct CareTeamsController: RouteCollection {
    let service: ConsoleService

    func boot(routes: any RoutesBuilder) throws {
        routes.get("admin", "markets", ":id", "care-teams", "new", use: newTeam)
        routes.post("admin", "markets", ":id", "care-teams", use: create)
        routes.get("admin", "markets", ":id", "care-teams", ":team", use: edit)
        routes.post("admin", "markets", ":id", "care-teams", ":team", use: update)
        routes.post("admin", "markets", ":id", "care-teams", ":team", "remove", use: remove)
    }

    func newTeam(req: Request) async throws -> Response {
        let (market, station) = try MarketsController.marketAndStation(req)
        return try await page(req, station, market, team: nil, CareTeamForm(), FormErrors())
    }

    func create(req: Request) async throws -> Response {
        let (market, station) = try MarketsController.marketAndStation(req)
        let form = try req.content.decode(CareTeamFields.self).form
        let decision = try await req.authorize(.manage, .market(market), auditAction: "care_team.created")
        var sent: CareTeam?
        do {
            let team = try form.validated()
            sent = team
            let created = try await station.createCareTeam(market, team)
            try await req.audit(
                AuditEntry(
                    "care_team.created", decisionID: decision.id, detail: "market \(market.wire) team \(created.id)"))
            req.flash("success", "\(created.name) was added.")
            return req.redirect(to: "/admin/markets/\(market.wire)#care-teams")
        } catch let errors as FormErrors {
            return try await page(req, station, market, team: nil, form, errors, status: .unprocessableEntity)
        } catch let problem as StationProblem where MarketsController.formProblems.contains(problem.status) {
            try await req.audit(
                AuditEntry(
                    "care_team.created", outcome: "failed", decisionID: decision.id,
                    detail: "market \(market.wire) station \(problem.status)"))
            return try await page(
                req, station, market, team: nil, form, Self.errors(problem, form, sent),
                status: HTTPResponseStatus(statusCode: problem.status))
        }
    }

    func edit(req: Request) async throws -> Response {
        let (market, station) = try MarketsController.marketAndStation(req)
        let id = try teamID(req)
        guard let team = try await station.careTeams(market).first(where: { CareTeamID(wire: $0.id) == id }) else {
            throw StationProblem(status: 404, nil)
        }
        return try await page(req, station, market, team: (id, team.name), CareTeamForm(team), FormErrors())
    }

    func update(req: Request) async throws -> Response {
        let (market, station) = try MarketsController.marketAndStation(req)
        let id = try teamID(req)
        let form = try req.content.decode(CareTeamFields.self).form
        let decision = try await req.authorize(.manage, .market(market), auditAction: "care_team.updated")
        let heading = try await station.careTeams(market).first { CareTeamID(wire: $0.id) == id }?.name
        guard let heading else { throw StationProblem(status: 404, nil) }
        var sent: CareTeam?
        do {
            let team = try form.validated()
            sent = team
            let saved = try await station.updateCareTeam(market, id, team)
            try await req.audit(
                AuditEntry(
                    "care_team.updated", decisionID: decision.id, detail: "market \(market.wire) team \(id.wire)"))
            req.flash("success", "\(saved.name) was saved.")
            return req.redirect(to: "/admin/markets/\(market.wire)#care-teams")
        } catch let errors as FormErrors {
            return try await page(req, station, market, team: (id, heading), form, errors, status: .unprocessableEntity)
        } catch let problem as StationProblem where MarketsController.formProblems.contains(problem.status) {
            try await req.audit(
                AuditEntry(
                    "care_team.updated", outcome: "failed", decisionID: decision.id,
                    detail: "market \(market.wire) team \(id.wire) station \(problem.status)"))
            return try await page(
                req, station, market, team: (id, heading), form, Self.errors(problem, form, sent),
                status: HTTPResponseStatus(statusCode: problem.status))
        }
    }

    func remove(req: Request) async throws -> Response {
        let (market, station) = try MarketsController.marketAndStation(req)
        let id = try teamID(req)
        let decision = try await req.authorize(.manage, .market(market), auditAction: "care_team.removed")
        let name = try await station.careTeams(market).first { CareTeamID(wire: $0.id) == id }?.name
        try await station.removeCareTeam(market, id)
        try await req.audit(
            AuditEntry("care_team.removed", decisionID: decision.id, detail: "market \(market.wire) team \(id.wire)"))
        req.flash("success", "\(name ?? "The team") was removed.")
        return req.redirect(to: "/admin/markets/\(market.wire)#care-teams")
    }

    /// Station's refusal beside the fields: a shift's times beside that day's, a taken name beside the name.
    static func errors(_ problem: StationProblem, _ form: CareTeamForm, _ sent: CareTeam?) -> FormErrors {
        FormErrors(
            problem, fields: CareTeamForm.Field.all, conflictField: CareTeamForm.Field.name,
            renamed: sent.map(form.renamedShiftPaths(for:)) ?? [:])
    }

    func teamID(_ req: Request) throws -> CareTeamID {
        guard let id = CareTeamID(wire: req.parameters.get("team") ?? "") else {
            throw StationProblem(status: 404, nil)
        }
        return id
    }

    /// The team's page: the form as typed (or as Station has it), with the market's ZIP codes and every service line
    /// to choose from.
    func page(
        _ req: Request, _ station: AdminStation, _ market: MarketID, team: (CareTeamID, String)?,
        _ form: CareTeamForm, _ errors: FormErrors, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let place = try await station.market(market)
        let lines = try await station.serviceLines().sorted { $0.name < $1.name }
        let chosen = Set(form.serviceLines)
        let heading = team?.1 ?? "New care team"
        let page = CareTeamPage(
            marketID: market.wire, marketName: place.name, teamID: team?.0.wire, heading: heading, form: form,
            errors: errors,
            days: form.days.map {
                DayRow(
                    day: $0.day, label: $0.label, startsField: $0.startsField, endsField: $0.endsField,
                    startsAt: $0.startsAt, endsAt: $0.endsAt, startsError: errors[$0.startsField],
                    endsError: errors[$0.endsField])
            },
            zips: place.zipCodes.map { ZipOption(zip: $0, selected: $0 == form.baseZip) },
            lines: lines.compactMap { line in
                line.code.map { LineOption(code: $0, name: line.name, checked: chosen.contains($0)) }
            })
        return try await req.page(
            "admin-care-team", title: "\(heading) · \(place.name)", section: "markets", page, status: status)
    }
}

/// The care team form's fields as the browser posts them (each day's start and end by the day's name).
struct CareTeamFields: Decodable {
    var name: String?
    var baseZip: String?
    var serviceLines: [String]?
    var hours: [String: String]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        name = try container.decodeIfPresent(String.self, forKey: AnyKey("name"))
        baseZip = try container.decodeIfPresent(String.self, forKey: AnyKey("base_zip"))
        serviceLines = try container.decodeIfPresent([String].self, forKey: AnyKey("service_lines"))
        var hours: [String: String] = [:]
        for day in CareTeamForm.week {
            for field in ["\(day.day)_starts_at", "\(day.day)_ends_at"] {
                hours[field] = try container.decodeIfPresent(String.self, forKey: AnyKey(field))
            }
        }
        self.hours = hours
    }

    var form: CareTeamForm {
        var byDay: [String: (String, String)] = [:]
        for day in CareTeamForm.week {
            byDay[day.day] = (hours["\(day.day)_starts_at"] ?? "", hours["\(day.day)_ends_at"] ?? "")
        }
        return CareTeamForm(name: name ?? "", baseZip: baseZip ?? "", serviceLines: serviceLines ?? [], hours: byDay)
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

struct CareTeamPage: Encodable {
    var tab = "markets"
    var marketID: String
    var marketName: String
    /// nil for a new team.
    var teamID: String?
    var heading: String
    var form: CareTeamForm
    var errors: FormErrors
    var days: [DayRow]
    var zips: [ZipOption]
    var lines: [LineOption]
}

/// One day's shift fields, with their messages.
struct DayRow: Encodable {
    var day, label, startsField, endsField, startsAt, endsAt: String
    var startsError, endsError: String?
}

struct ZipOption: Encodable {
    var zip: String
    var selected: Bool
}

struct LineOption: Encodable {
    var code: String
    var name: String
    var checked: Bool
}

/// A care team as the market's page lists it.
struct CareTeamRow: Encodable {
    var id: String
    var name: String
    var base: String
    var lines: String
    var hours: String

    init(_ team: Components.Schemas.CareTeam, lineNames: [String: String]) {
        id = team.id
        name = team.name
        base = team.baseZip
        lines = team.serviceLines.map { lineNames[$0] ?? $0 }.joined(separator: ", ")
        hours = Self.hours(team.shifts.map { ($0.day.rawValue, "\($0.startsAt)–\($0.endsAt)") })
    }

    /// The week's shifts in short: consecutive days with the same hours together ("Mon–Fri 07:00–17:00, Sat
    /// 09:00–13:00").
    static func hours(_ shifts: [(day: String, hours: String)]) -> String {
        let week = CareTeamForm.week.map(\.day)
        let short = Dictionary(uniqueKeysWithValues: CareTeamForm.week.map { ($0.day, String($0.label.prefix(3))) })
        let sorted = shifts.sorted { (week.firstIndex(of: $0.day) ?? 7) < (week.firstIndex(of: $1.day) ?? 7) }
        var runs: [(first: String, last: String, hours: String)] = []
        for shift in sorted {
            if let run = runs.last, run.hours == shift.hours,
                let last = week.firstIndex(of: run.last), week.firstIndex(of: shift.day) == last + 1
            {
                runs[runs.count - 1].last = shift.day
            } else {
                runs.append((shift.day, shift.day, shift.hours))
            }
        }
        return runs.map { run in
            let first = short[run.first] ?? run.first
            let days = run.first == run.last ? first : "\(first)–\(short[run.last] ?? run.last)"
            return "\(days) \(run.hours)"
        }.joined(separator: ", ")
    }
}
