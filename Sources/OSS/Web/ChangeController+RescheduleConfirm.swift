import Foundation
import OSSDomain
import Platform
import Vapor
import Vocabulary

/// Rescheduling's last steps: a new visit address (and so perhaps another market), the confirmation, and the
/// call to Station with the choice's `Idempotency-Key`.
extension ChangeController {
    func showRescheduleConfirmation(req: Request) async throws -> Response {
        let subject: Subject
        switch try await reschedulable(req) {
        case .failure(let page): return page.response
        case .success(let found): subject = found
        }
        let change = pending(req, subject)
        guard change.window != nil else { return req.redirect(to: path(subject.request.id, "reschedule")) }
        return try await renderConfirmation(req, subject, change)
    }

    func renderConfirmation(
        _ req: Request, _ subject: Subject, _ change: Reschedule, notice: String? = nil,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        var page = page("reschedule-confirm", subject, notice: notice)
        page.newWindow = change.window.map { Self.words($0.start, $0.end, zone: zone(change, subject)) }
        page.newAddress = change.address.map(Self.words)
        return try await render(req, page, status: status)
    }

    func reschedule(req: Request) async throws -> Response {
        try Self.checkCSRF(req)
        let subject: Subject
        switch try await self.subject(req) {
        case .failure(let page): return page.response
        case .success(let found): subject = found
        }
        let id = subject.request.id
        // A confirmation sent before (a double submit) is sent again with the same key: Station answers it again.
        guard var change = ChangeGrant.pending(Reschedule.self, req.webSession, careRequest: id),
            let window = change.window
        else { return req.redirect(to: path(id, "reschedule")) }
        guard subject.request.changeable || change.sent else { return try await closed(req, subject) }
        let resent = change.sent
        do {
            _ = try await service.downstream.station.reschedule(
                id, to: VisitWindow(start: window.start, end: window.end),
                visitAddress: change.address.map { PostalAddress($0.forStation) }, by: subject.requester,
                idempotencyKey: change.idempotencyKey)
        } catch let refusal as StationRefusal {
            await audit(req, subject.user, "care_request.reschedule", id, outcome: Self.outcome(refusal))
            ServiceMetrics.count("care_request_changes_total", [("kind", "reschedule"), ("outcome", "refused")])
            if refusal.isChangeClosed { return try await closed(req, subject, supportPhone: refusal.supportPhone) }
            if refusal.status == 404 { return try await notFound(req, subject.returnURL).response }
            change.window = nil
            change.idempotencyKey = Self.newKey()
            ChangeGrant.keep(change, req.webSession, careRequest: id)
            if refusal.status == 409 {
                return try await renderReschedule(
                    req, subject, change,
                    notice: "That time window has just filled up. Please choose another one; these still have room.",
                    offered: refusal.nextWindows.isEmpty ? nil : refusal.nextWindows, status: .conflict)
            }
            return try await renderReschedule(
                req, subject, change, notice: "We could not move the visit to that window: \(refusal.detail)",
                status: .unprocessableEntity)
        } catch let error as Unavailable {
            req.logger.warning("reschedule failed", metadata: ["service": .string(error.service)])
            return try await renderConfirmation(
                req, subject, change,
                notice:
                    "We could not reach our scheduling system. Nothing was changed yet; press “Move the visit” again in a moment.",
                status: .serviceUnavailable)
        }
        change.sent = true
        ChangeGrant.keep(change, req.webSession, careRequest: id)
        await audit(req, subject.user, "care_request.reschedule", id, outcome: "rescheduled", detail: subject.decision)
        ServiceMetrics.count("care_request_changes_total", [("kind", "reschedule"), ("outcome", "rescheduled")])
        if !resent { await track(.careRequestRescheduled, subject) }
        return req.redirect(to: doneURL(subject, outcome: "rescheduled"))
    }

    /// A refusal's outcome code for the audit and metrics (never Station's words).
    static func outcome(_ refusal: StationRefusal) -> String {
        if refusal.isChangeClosed { return "closed" }
        switch refusal.status {
        case 404: return "not_found"
        case 409: return "full"
        default: return "refused"
        }
    }

    func showAddress(req: Request) async throws -> Response {
        let subject: Subject
        switch try await reschedulable(req) {
        case .failure(let page): return page.response
        case .success(let found): subject = found
        }
        let change = pending(req, subject)
        var page = page("address", subject)
        if let a = change.address {
            page.values = ["line1": a.line1, "line2": a.line2, "city": a.city, "state": a.state, "zip": a.zip]
        }
        return try await render(req, page)
    }

    /// A new visit address, once a market visits it; "use the current address" forgets it.
    func chooseAddress(req: Request) async throws -> Response {
        try Self.checkCSRF(req)
        let subject: Subject
        switch try await reschedulable(req) {
        case .failure(let page): return page.response
        case .success(let found): subject = found
        }
        var change = pending(req, subject)
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        change.window = nil
        if form["keep_address"] != nil {
            change.address = nil
            change.market = nil
            ChangeGrant.keep(change, req.webSession, careRequest: subject.request.id)
            return req.redirect(to: path(subject.request.id, "reschedule"))
        }
        var (address, errors) = RequestChange.address(form)
        var notice: String?
        if errors.isEmpty {
            do {
                if let market = try await service.downstream.station.market(servingZip: address.zip) {
                    change.address = address
                    change.market = .init(id: market.id, name: market.name, timeZone: market.timeZone)
                    ChangeGrant.keep(change, req.webSession, careRequest: subject.request.id)
                    return req.redirect(to: path(subject.request.id, "reschedule"))
                }
                errors["zip"] =
                    "We do not visit ZIP code \(address.zip) yet. Please call us at \(service.config.supportPhone)."
                await phonePage(.notServed, subject)
            } catch is Unavailable {
                notice = "We could not check the address just now. Try again in a moment."
            }
        }
        address.state = address.state.uppercased()
        var page = page("address", subject, errors: errors, notice: notice)
        page.values = [
            "line1": address.line1, "line2": address.line2, "city": address.city, "state": address.state,
            "zip": address.zip,
        ]
        return try await render(req, page, status: notice == nil ? .unprocessableEntity : .serviceUnavailable)
    }
}
