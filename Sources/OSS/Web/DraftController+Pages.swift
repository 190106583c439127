import Foundation
import OSSDomain
import Platform
import Vapor
import Vocabulary

/// The pages a draft answers with: its steps, and what a closed or unknown draft says.
extension DraftController {
    func notFound(_ req: Request) async throws -> Response {
        try await req.ossNotice(
            .notFound, app: app, title: "Request not found",
            message: "We could not find this request. It may belong to someone else, or the link was mistyped.",
            linkURL: app.audience == .partner
                ? WayBack.error(.notFound, expressURL: service.config.expressURL) : app.path("/"),
            linkText: app.audience == .partner ? "Back to Express" : "Home")
    }

    func closed(_ req: Request, _ draft: Draft) async throws -> Response {
        switch draft.status {
        case .submitted(let careRequest):
            return req.redirect(to: finishURL(draft, careRequest: careRequest))
        case .submitting:
            return try await req.ossNotice(
                .conflict, app: app, title: "Your request is being sent",
                message:
                    "This request is being submitted. Wait a moment, then open it again; if it was interrupted, it opens again within a few minutes with everything you typed.",
                linkURL: path(draft, Step.review.rawValue), linkText: "Open it again")
        case .open, .cancelled, .emergency:
            return try await req.ossNotice(
                .ok, app: app, title: "This request is closed",
                message: draft.status == .cancelled
                    ? "It was cancelled; nothing was created." : "It cannot be changed any more.",
                linkURL: app.audience == .partner ? closedWayBack(draft) : app.path("/"),
                linkText: app.audience == .partner ? "Back to Express" : "Home")
        }
    }

    /// Back to Express from a closed draft, with how it ended (an error if it ended any other way).
    func closedWayBack(_ draft: Draft) -> String {
        let expressURL = service.config.expressURL
        switch draft.status {
        case .cancelled: return WayBack.express(draft.returnURL, expressURL: expressURL, outcome: "cancelled")
        case .emergency: return WayBack.express(draft.returnURL, expressURL: expressURL, outcome: "emergency")
        default: return WayBack.error(.closed, returnURL: draft.returnURL, expressURL: expressURL)
        }
    }

    func finishURL(_ draft: Draft, careRequest: CareRequestID) -> String {
        guard app.audience == .partner, let base = draft.returnURL else {
            return app.path("/requests/\(careRequest.wire)?created=1")
        }
        return Self.returnURL(base, ["outcome": "created", "care_request_id": careRequest.wire])
    }

    static func returnURL(_ base: String, _ parameters: [String: String]) -> String {
        var components = URLComponents(string: base)!
        components.queryItems =
            (components.queryItems ?? [])
            + parameters.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        return components.string!
    }

    func render(
        _ req: Request, _ draft: Draft, step: Step, errors: Draft.FieldErrors, notice: String? = nil,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let sequence = draft.steps
        let index = sequence.firstIndex(of: step) ?? 0
        let chosen = Set(draft.answers.reason?.symptoms ?? [])
        var windows: [StepPage.WindowDay] = []
        var linkNote: StepPage.LinkNote?
        var notice = notice
        if step == .window {
            do {
                (windows, linkNote) = try await windowChoice(draft)
                if windows.isEmpty, notice == nil {
                    notice =
                        "No time windows are open in the next week. Please call us at \(service.config.supportPhone)."
                    await service.attemptTracker(draft).phonePage(.noWindows)
                }
            } catch let error as Unavailable {
                req.logger.warning("downstream unavailable", metadata: ["service": .string(error.service)])
                notice = "We could not load the time windows just now. Your answers are saved; try again in a moment."
            }
        }
        let known = draft.answers.patient?.known
        var forFamily = false
        if step == .patient, known == nil, let person = draft.answers.person, case .patient(let account) = draft.owner {
            forFamily = try await service.person(person, of: account)?.relationship == .family
        }
        var page = StepPage(
            draftID: draft.id.wire, step: step.rawValue, title: step.title,
            progress: sequence.enumerated().map {
                .init(
                    title: $0.element.title, state: $0.offset < index ? "done" : $0.offset == index ? "current" : "todo"
                )
            },
            values: draft.formValues, errors: errors, patientID: known?.id.wire, patientName: known?.name,
            patientDOB: known?.dateOfBirth,
            backURL: index > 0 ? path(draft, sequence[index - 1].rawValue) : nil,
            symptoms: ScreeningRules.symptoms.map {
                .init(id: $0.id, label: $0.label, checked: chosen.contains($0.id))
            },
            windows: windows, summary: step == .review ? summary(draft) : [], partner: app.audience == .partner,
            notice: notice)
        page.forFamily = forFamily
        page.linkNote = linkNote
        if step == .review, await reviewVariant(draft) == .short { page.short = shortReview(draft) }
        return try await req.ossPage("step", step.title, app: app, page, status: status)
    }
}
