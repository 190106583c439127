import Foundation
import OSSDomain
import Platform
import Vapor
import Vocabulary

/// Rescheduling: pick a new window (of the request's market, or of the market of a new visit address), confirm,
/// and Station moves the visit in one transaction.
extension ChangeController {
    typealias Reschedule = RequestChange.Reschedule

    /// The subject, when it may still be rescheduled; else the page that says why not.
    func reschedulable(_ req: Request) async throws -> Result<Subject, PageResponse> {
        let subject: Subject
        switch try await self.subject(req) {
        case .failure(let page): return .failure(page)
        case .success(let found): subject = found
        }
        guard subject.request.changeable else { return .failure(.init(response: try await closed(req, subject))) }
        guard subject.request.timeWindow != nil else {
            await phonePage(.awaitingNurseCall, subject)
            return .failure(
                .init(
                    response: try await req.ossNotice(
                        .conflict, app: app, title: "This visit has no time yet",
                        message:
                            "A nurse will call to set the visit's time. To change it before then, please call us at \(service.config.supportPhone).",
                        linkURL: keepURL(subject), linkText: wayText)))
        }
        return .success(subject)
    }

    /// The reschedule being chosen in this session, or a fresh one once the last was sent.
    func pending(_ req: Request, _ subject: Subject) -> Reschedule {
        let kept = ChangeGrant.pending(Reschedule.self, req.webSession, careRequest: subject.request.id)
        return kept.flatMap { $0.sent ? nil : $0 } ?? Reschedule(idempotencyKey: Self.newKey())
    }

    func zone(_ change: Reschedule, _ subject: Subject) -> TimeZone {
        change.market.flatMap { TimeZone(identifier: $0.timeZone) } ?? subject.zone
    }

    func showReschedule(req: Request) async throws -> Response {
        let subject: Subject
        switch try await reschedulable(req) {
        case .failure(let page): return page.response
        case .success(let found): subject = found
        }
        return try await renderReschedule(req, subject, pending(req, subject))
    }

    /// The window picker: the market's next windows with room (or `offered`, Station's next windows after a full one).
    func renderReschedule(
        _ req: Request, _ subject: Subject, _ change: Reschedule, errors: [String: String] = [:],
        notice: String? = nil, offered: [OpenWindow]? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        var page = page("reschedule", subject, errors: errors, notice: notice)
        let zone = zone(change, subject)
        var windows = offered ?? []
        if offered == nil {
            do {
                let station = service.downstream.station
                // The request's own line: a partner may have booked another than the acute care OSS books.
                let line: ServiceLineID
                if let own = subject.request.serviceLine {
                    line = own
                } else {
                    line = try await station.selfScheduledLine()
                }
                let visit = PlannedVisitPlace(
                    zip: change.address?.zip ?? subject.request.visitAddress.zip, serviceLine: line,
                    rescheduling: subject.request.id)
                windows = try await WindowPicker.upcoming(
                    station, market: change.market?.id ?? subject.request.market, zone: zone, today: service.now(),
                    for: visit)
            } catch let error as Unavailable {
                req.logger.warning("downstream unavailable", metadata: ["service": .string(error.service)])
                page.notice = page.notice ?? "We could not load the time windows just now. Try again in a moment."
            }
        }
        let current = subject.request.timeWindow
        if change.address == nil { windows.removeAll { $0.start == current?.start && $0.end == current?.end } }
        page.windows = WindowPicker.days(windows, zone: zone, chosen: change.window?.formValue)
        if page.windows.isEmpty, page.notice == nil {
            page.notice =
                "No other time windows are open in the next week. Please call us at \(service.config.supportPhone)."
            await phonePage(.noWindows, subject)
        }
        page.newAddress = change.address.map(Self.words)
        return try await render(req, page, status: status)
    }

    func chooseWindow(req: Request) async throws -> Response {
        try Self.checkCSRF(req)
        let subject: Subject
        switch try await reschedulable(req) {
        case .failure(let page): return page.response
        case .success(let found): subject = found
        }
        var change = pending(req, subject)
        let current = subject.request.timeWindow.map { Draft.TimeWindow(start: $0.start, end: $0.end, label: "") }
        let errors = RequestChange.choose(
            window: try? req.content.get(String.self, at: "window"), in: &change, current: current,
            zone: zone(change, subject))
        change.idempotencyKey = Self.newKey()
        ChangeGrant.keep(change, req.webSession, careRequest: subject.request.id)
        guard errors.isEmpty else {
            return try await renderReschedule(req, subject, change, errors: errors, status: .unprocessableEntity)
        }
        return req.redirect(to: path(subject.request.id, "reschedule/confirm"))
    }
}
