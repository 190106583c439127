import Foundation
import OSSDomain
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

    /// The signed-in person's draft from the path; anyone else's is refused (and audited) as not found.
    func draft(_ req: Request) async throws -> Draft? {
        let user = try req.requireFlowUser()
        guard let id = req.parameters.get("draft").flatMap(DraftID.init(wire:)),
            var draft = try await service.draft(id),
            draft.owner == user.owner, draft.audience == app.audience
        else {
            await service.audit(
                "draft.open", actor: user.owner.actor, partner: user.partner?.rawValue,
                subject: req.parameters.get("draft") ?? "",
                outcome: "refused", request: req)
            return nil
        }
        try await service.reopenIfStale(&draft)
        return draft
    }

    /// A page of `draft`: a step's name, `submit`, `emergency`…
    func path(_ draft: Draft, _ page: String) -> String { app.path("/drafts/\(draft.id.wire)/\(page)") }

    static func checkCSRF(_ req: Request) throws {
        guard req.webSession.isValidCSRF(try? req.content.get(String.self, at: "csrf")) else {
            throw Abort(.forbidden, reason: "This form expired. Reload the page and try again.")
        }
    }

    func show(req: Request) async throws -> Response {
        guard let draft = try await draft(req) else { return try await notFound(req) }
        guard draft.status == .open else { return try await closed(req, draft) }
        guard let step = req.parameters.get("step").flatMap(Step.init(rawValue:)), draft.steps.contains(step) else {
            return req.redirect(to: path(draft, Step.patient.rawValue))
        }
        return try await render(req, draft, step: step, errors: [:])
    }

    /// Saves what was typed (always), then moves on when the step is valid.
    func save(req: Request) async throws -> Response {
        try Self.checkCSRF(req)
        guard var draft = try await draft(req) else { return try await notFound(req) }
        guard draft.status == .open else { return try await closed(req, draft) }
        guard let step = req.parameters.get("step").flatMap(Step.init(rawValue:)), step != .review else {
            throw Abort(.notFound)
        }
        let outcomeBefore = draft.answers.reason?.outcome
        var errors = draft.record(
            step, form: (try? req.content.decode([String: String].self)) ?? [:], today: service.now())
        try await service.saveAnswers(&draft)
        if step == .location, errors.isEmpty {
            let zip = draft.answers.address?.zip ?? ""
            switch try await market(for: zip) {
            case .found(let market):
                draft.answers.market = .init(id: market.id, name: market.name, timeZone: market.timeZone)
                try await service.saveAnswers(&draft)
            case .notServed:
                errors[.zip] = StepRules.notServed(zip: zip, supportPhone: service.config.supportPhone)
                await service.attemptTracker(draft).phonePage(.notServed)
            case .unavailable:
                return try await render(
                    req, draft, step: step, errors: [:],
                    notice: "We could not check the address just now. Your answers are saved; try again in a moment.",
                    status: .serviceUnavailable)
            }
        }
        guard errors.isEmpty else {
            return try await render(req, draft, step: step, errors: errors, status: .unprocessableEntity)
        }
        let firstTime = draft.markCompleted(step)
        if firstTime { try await service.saveAnswers(&draft) }
        let attempt = await service.attemptTracker(draft)
        await attempt.track(
            StepEvents.accepted(
                step, firstTime: firstTime, outcomeBefore: outcomeBefore, outcome: draft.answers.reason?.outcome))
        switch draft.next(after: step) {
        case .step(let next):
            return req.redirect(to: path(draft, next.rawValue))
        case .emergency:
            _ = try await service.move(&draft, from: .open, to: .emergency)
            let user = try req.requireFlowUser()
            await service.audit(
                "draft.screening", actor: user.owner.actor, partner: user.partner?.rawValue, subject: draft.id.wire,
                outcome: "emergency", detail: draft.answers.reason?.reasonCodes.joined(separator: ","), request: req)
            await attempt.phonePage(.emergency)
            return req.redirect(to: path(draft, "emergency"))
        }
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
        let back =
            app.audience == .partner
            ? WayBack.express(draft.returnURL, expressURL: service.config.expressURL, outcome: "emergency") : nil
        return try await req.ossPage("emergency", "Call 911", app: app, EmergencyPage(returnURL: back))
    }

    func cancel(req: Request) async throws -> Response {
        try Self.checkCSRF(req)
        guard var draft = try await draft(req) else { return try await notFound(req) }
        _ = try await service.move(&draft, from: .open, to: .cancelled)
        if app.audience == .partner, let base = draft.returnURL {
            return req.redirect(to: Self.returnURL(base, ["outcome": "cancelled"]))
        }
        req.webSession["_flash"] = "Your request was cancelled. Nothing was sent."
        return req.redirect(to: app.path("/"))
    }
}
