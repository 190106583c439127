import Fluent
import Foundation
import Platform
import Vapor
import Vocabulary

/// The onboarding steps of one draft, one page each, saved at every step.
struct DraftController: RouteCollection {
    let app: FlowApp
    let service: OSSService

    func boot(routes: any RoutesBuilder) throws {
        routes.get("drafts", ":draft", "emergency", use: emergency)
        routes.get("drafts", ":draft", ":step", use: show)
        routes.post("drafts", ":draft", ":step", use: save)
        routes.post("drafts", ":draft", "cancel", use: cancel)
        routes.post("drafts", ":draft", "submit", use: submit)
    }

    /// The signed-in person's open draft from the path; anyone else's is refused (and audited) as not found.
    func draft(_ req: Request) async throws -> DraftModel? {
        let user = try req.requireFlowUser()
        guard let id = req.parameters.get("draft").flatMap(UUID.init(uuidString:)),
              let draft = try await DraftModel.find(id, on: service.db),
              draft.owner == user.owner, draft.audienceValue == app.audience
        else {
            await service.audit("draft.open", actor: user.owner, partner: user.partnerID, subject: req.parameters.get("draft") ?? "",
                                outcome: "refused", request: req)
            return nil
        }
        try await service.reopenIfStale(draft)
        return draft
    }

    func notFound(_ req: Request) async throws -> Response {
        try await req.ossNotice(.notFound, app: app, title: "Request not found",
            message: "We could not find this request. It may belong to someone else, or the link was mistyped.",
            linkURL: app.audience == .partner ? WayBack.error(.notFound, expressURL: service.config.expressURL) : app.path("/"),
            linkText: app.audience == .partner ? "Back to Express" : "Home")
    }

    func closed(_ req: Request, _ draft: DraftModel) async throws -> Response {
        if draft.status == "submitted", let id = draft.careRequestID {
            return req.redirect(to: finishURL(draft, careRequest: id))
        }
        if draft.status == "submitting", let id = draft.id {
            return try await req.ossNotice(.conflict, app: app, title: "Your request is being sent",
                message: "This request is being submitted. Wait a moment, then open it again; if it was interrupted, it opens again within a few minutes with everything you typed.",
                linkURL: app.path("/drafts/\(id.uuidString.lowercased())/review"), linkText: "Open it again")
        }
        return try await req.ossNotice(.ok, app: app, title: "This request is closed",
            message: draft.status == "cancelled" ? "It was cancelled; nothing was created." : "It cannot be changed any more.",
            linkURL: app.audience == .partner ? closedWayBack(draft) : app.path("/"), linkText: app.audience == .partner ? "Back to Express" : "Home")
    }

    /// Back to Express from a closed draft, with how it ended (an error if it ended any other way).
    func closedWayBack(_ draft: DraftModel) -> String {
        let expressURL = service.config.expressURL
        switch draft.status {
        case "cancelled", "emergency": return WayBack.express(draft.returnURL, expressURL: expressURL, outcome: draft.status)
        default: return WayBack.error(.closed, returnURL: draft.returnURL, expressURL: expressURL)
        }
    }

    func finishURL(_ draft: DraftModel, careRequest: UUID) -> String {
        guard app.audience == .partner, let base = draft.returnURL else { return app.path("/requests/\(careRequest.uuidString.lowercased())?created=1") }
        return Self.returnURL(base, ["outcome": "created", "care_request_id": careRequest.uuidString.lowercased()])
    }

    static func returnURL(_ base: String, _ parameters: [String: String]) -> String {
        var components = URLComponents(string: base)!
        components.queryItems = (components.queryItems ?? []) + parameters.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        return components.string!
    }

    struct Progress: Encodable {
        var title: String
        var state: String
    }

    struct StepContext: Encodable {
        var draftID: String
        var step: String
        var title: String
        var progress: [Progress]
        var values: [String: String]
        var errors: [String: String]
        var backURL: String?
        var symptoms: [Symptom]
        var windows: [WindowDay]
        var summary: [SummaryLine]
        var partner: Bool
        var notice: String?

        struct Symptom: Encodable {
            var id: String
            var label: String
            var checked: Bool
        }
        struct WindowOption: Encodable {
            var value: String
            var label: String
            var remaining: Int
            var checked: Bool
        }
        struct WindowDay: Encodable {
            var day: String
            var options: [WindowOption]
        }
        struct SummaryLine: Encodable {
            var label: String
            var value: String
            var editURL: String
        }
    }

    func steps(_ draft: DraftModel) -> [Step] { Step.sequence(needsNurse: draft.answers["outcome"] == "nurse_triage") }

    func show(req: Request) async throws -> Response {
        guard let draft = try await draft(req) else { return try await notFound(req) }
        guard draft.status == "open" else { return try await closed(req, draft) }
        guard let step = req.parameters.get("step").flatMap(Step.init(rawValue:)), steps(draft).contains(step) else {
            return req.redirect(to: app.path("/drafts/\(draft.id!.uuidString.lowercased())/patient"))
        }
        return try await render(req, draft, step: step, errors: [:])
    }

    func render(_ req: Request, _ draft: DraftModel, step: Step, errors: [String: String], notice: String? = nil,
                status: HTTPResponseStatus = .ok) async throws -> Response {
        let sequence = steps(draft)
        let index = sequence.firstIndex(of: step) ?? 0
        let id = draft.id!.uuidString.lowercased()
        let chosen = Set(draft.answers["symptoms"].split(separator: ",").map(String.init))
        var windows: [StepContext.WindowDay] = []
        var notice = notice
        if step == .window {
            do {
                windows = try await availableWindows(draft)
                if windows.isEmpty { notice = notice ?? "No time windows are open in the next week. Please call us at \(service.config.supportPhone)." }
            } catch let error as Unavailable {
                req.logger.warning("downstream unavailable", metadata: ["service": .string(error.service)])
                notice = "We could not load the time windows just now. Your answers are saved; try again in a moment."
            }
        }
        let context = StepContext(
            draftID: id, step: step.rawValue, title: step.title,
            progress: sequence.enumerated().map { Progress(title: $0.element.title, state: $0.offset < index ? "done" : $0.offset == index ? "current" : "todo") },
            values: draft.answers.fields, errors: errors,
            backURL: index > 0 ? app.path("/drafts/\(id)/\(sequence[index - 1].rawValue)") : nil,
            symptoms: ScreeningRules.symptoms.map { .init(id: $0.id, label: $0.label, checked: chosen.contains($0.id)) },
            windows: windows, summary: step == .review ? summary(draft) : [], partner: app.audience == .partner, notice: notice)
        return try await req.ossPage("step", step.title, app: app, context, status: status)
    }

    func availableWindows(_ draft: DraftModel) async throws -> [StepContext.WindowDay] {
        guard let market = MarketID(wire: draft.answers["market_id"]) else { return [] }
        let zone = TimeZone(identifier: draft.answers["market_time_zone"]) ?? TimeZone(identifier: "America/Denver")!
        let day = { (date: Date) in DateText.string(date, "yyyy-MM-dd", zone: zone, locale: "en_US_POSIX") }
        let today = Date()
        let windows = try await service.downstream.station.windows(in: market, from: day(today),
                                                                   to: day(today.addingTimeInterval(6 * 86_400)))
        let time = { (date: Date) in DateText.string(date, "h:mm a", zone: zone) }
        let iso = ISO8601DateFormatter()
        var days: [StepContext.WindowDay] = []
        for window in windows where window.remaining > 0 {
            let value = iso.string(from: window.start) + "|" + iso.string(from: window.end)
            let option = StepContext.WindowOption(value: value, label: "\(time(window.start)) – \(time(window.end))",
                                                  remaining: window.remaining, checked: draft.answers["window"] == value)
            let name = DateText.string(window.start, "EEEE, MMMM d", zone: zone)
            if days.last?.day == name { days[days.count - 1].options.append(option) } else { days.append(.init(day: name, options: [option])) }
        }
        return days
    }

    func summary(_ draft: DraftModel) -> [StepContext.SummaryLine] {
        let a = draft.answers
        let id = draft.id!.uuidString.lowercased()
        func edit(_ step: Step) -> String { app.path("/drafts/\(id)/\(step.rawValue)") }
        var lines: [StepContext.SummaryLine] = [
            .init(label: "Patient", value: a["patient_id"].isEmpty ? "\(a["given_name"]) \(a["family_name"]), born \(a["date_of_birth"])"
                  : "\(a["patient_name"]), born \(a["patient_dob"])", editURL: edit(.patient)),
            .init(label: "Reason", value: a["chief_complaint"], editURL: edit(.reason)),
            .init(label: "Address", value: [a["line1"], a["line2"], "\(a["city"]), \(a["state"]) \(a["zip"])"].filter { !$0.isEmpty }
                .joined(separator: ", "), editURL: edit(.location)),
        ]
        if a["outcome"] == "nurse_triage" {
            lines.append(.init(label: "Next step", value: "A nurse will call before the visit is scheduled.", editURL: edit(.reason)))
        } else {
            lines.append(.init(label: "Time window", value: a["window_label"], editURL: edit(.window)))
        }
        lines.append(.init(label: "Insurance", value: a["self_pay"] == "on" ? "Self-pay"
                           : a["payer"].isEmpty ? "Not given" : "\(a["payer"]) · \(a["member_id"])", editURL: edit(.details)))
        if !a["callback_phone"].isEmpty {
            lines.append(.init(label: "Call back", value: [a["callback_name"], a["callback_phone"]].filter { !$0.isEmpty }.joined(separator: " · "),
                               editURL: edit(.details)))
        }
        return lines
    }

    static let fields: [Step: [String]] = [
        .patient: ["given_name", "family_name", "date_of_birth", "sex", "phone"],
        .reason: ["chief_complaint"],
        .location: ["line1", "line2", "city", "state", "zip"],
        .window: ["window"],
        .details: ["payer", "member_id", "group_number", "self_pay", "poa_name", "poa_phone", "callback_name", "callback_phone"],
    ]

    /// Saves what was typed (always), then moves on when the step is valid.
    func save(req: Request) async throws -> Response {
        guard req.webSession.isValidCSRF(try? req.content.get(String.self, at: "csrf")) else {
            throw Abort(.forbidden, reason: "This form expired. Reload the page and try again.")
        }
        guard let draft = try await draft(req) else { return try await notFound(req) }
        guard draft.status == "open" else { return try await closed(req, draft) }
        guard let step = req.parameters.get("step").flatMap(Step.init(rawValue:)), step != .review else { throw Abort(.notFound) }
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        var answers = draft.answers
        for key in Self.fields[step] ?? [] where !(draft.answers["patient_id"] != "" && step == .patient) {
            answers[key] = String((form[key] ?? "").prefix(key == "chief_complaint" ? 1000 : 200))
        }
        if step == .reason {
            let chosen = Set(ScreeningRules.symptoms.map(\.id).filter { form["symptom_\($0)"] == "on" })
            answers["symptoms"] = chosen.sorted().joined(separator: ",")
            let result = try ScreeningRules.screen(chosen)
            answers["outcome"] = result.outcome.rawValue
            answers["reason_codes"] = result.reasonCodes.joined(separator: ",")
        }
        if step == .window, let window = form["window"] {
            let parts = window.split(separator: "|").map(String.init)
            let iso = ISO8601DateFormatter()
            if parts.count == 2, let start = iso.date(from: parts[0]), let end = iso.date(from: parts[1]) {
                answers["window_start"] = parts[0]
                answers["window_end"] = parts[1]
                let zone = TimeZone(identifier: answers["market_time_zone"]) ?? .current
                answers["window_label"] = "\(DateText.string(start, "EEE, MMM d, h:mm a", zone: zone)) – \(DateText.string(end, "h:mm a zzz", zone: zone))"
            } else {
                answers["window_start"] = ""
            }
        }
        draft.answers = answers
        try await service.save(draft)
        var errors = StepRules.validate(step, answers, audience: app.audience)
        if step == .location, errors.isEmpty {
            switch try await market(for: answers["zip"]) {
            case .found(let market):
                draft.answers["market_id"] = market.id.wire
                draft.answers["market_name"] = market.name
                draft.answers["market_time_zone"] = market.timeZone
                try await service.save(draft)
            case .notServed:
                errors["zip"] = "We do not visit ZIP code \(answers["zip"]) yet. Please call us at \(service.config.supportPhone); your answers are saved."
            case .unavailable:
                return try await render(req, draft, step: step, errors: [:],
                                        notice: "We could not check the address just now. Your answers are saved; try again in a moment.",
                                        status: .serviceUnavailable)
            }
        }
        guard errors.isEmpty else { return try await render(req, draft, step: step, errors: errors, status: .unprocessableEntity) }
        if step == .reason, draft.answers["outcome"] == "emergency" {
            _ = try await service.move(draft, from: "open", to: "emergency")
            let user = try req.requireFlowUser()
            await service.audit("draft.screening", actor: user.owner, partner: user.partnerID, subject: draft.id!.uuidString.lowercased(),
                                outcome: "emergency", detail: draft.answers["reason_codes"], request: req)
            return req.redirect(to: app.path("/drafts/\(draft.id!.uuidString.lowercased())/emergency"))
        }
        let sequence = steps(draft)
        let next = sequence[min((sequence.firstIndex(of: step) ?? 0) + 1, sequence.count - 1)]
        return req.redirect(to: app.path("/drafts/\(draft.id!.uuidString.lowercased())/\(next.rawValue)"))
    }

    enum MarketLookup {
        case found(Market)
        case notServed
        case unavailable
    }

    func market(for zip: String) async throws -> MarketLookup {
        do {
            guard let market = try await service.downstream.station.market(servingZip: zip) else { return .notServed }
            return .found(market)
        } catch is Unavailable {
            return .unavailable
        }
    }

    struct EmergencyPage: Encodable {
        var returnURL: String?
    }

    func emergency(req: Request) async throws -> Response {
        guard let draft = try await draft(req) else { return try await notFound(req) }
        let back = app.audience == .partner ? WayBack.express(draft.returnURL, expressURL: service.config.expressURL, outcome: "emergency") : nil
        return try await req.ossPage("emergency", "Call 911", app: app, EmergencyPage(returnURL: back))
    }

    func cancel(req: Request) async throws -> Response {
        guard req.webSession.isValidCSRF(try? req.content.get(String.self, at: "csrf")) else {
            throw Abort(.forbidden, reason: "This form expired. Reload the page and try again.")
        }
        guard let draft = try await draft(req) else { return try await notFound(req) }
        _ = try await service.move(draft, from: "open", to: "cancelled")
        if app.audience == .partner, let base = draft.returnURL {
            return req.redirect(to: Self.returnURL(base, ["outcome": "cancelled"]))
        }
        req.webSession["_flash"] = "Your request was cancelled. Nothing was sent."
        return req.redirect(to: app.path("/"))
    }
}
