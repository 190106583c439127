import Foundation
import OSSDomain
import Platform
import Vapor
import Vocabulary

/// Cancelling: a reason from the short list and an optional note, a confirmation, and the call to Station with
/// the choice's `Idempotency-Key`. The note is free text: it goes to Station only, never to a log or the audit.
extension ChangeController {
    typealias Cancellation = RequestChange.Cancel

    /// The subject, when it may still be cancelled; else the page that says why not.
    func cancellable(_ req: Request) async throws -> Result<Subject, PageResponse> {
        switch try await subject(req) {
        case .failure(let page): return .failure(page)
        case .success(let subject) where !subject.request.changeable:
            return .failure(.init(response: try await closed(req, subject)))
        case .success(let subject): return .success(subject)
        }
    }

    func pendingCancellation(_ req: Request, _ subject: Subject) -> Cancellation {
        let kept = ChangeGrant.pending(Cancellation.self, req.webSession, careRequest: subject.request.id)
        return kept.flatMap { $0.sent ? nil : $0 } ?? Cancellation(idempotencyKey: Self.newKey())
    }

    func renderCancel(
        _ req: Request, _ stage: String, _ subject: Subject, _ change: Cancellation, errors: [String: String] = [:],
        notice: String? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        var page = page(stage, subject, errors: errors, notice: notice)
        page.reasons = CancellationReason.allCases.map {
            .init(value: $0.rawValue, label: $0.label, checked: change.reason == $0)
        }
        page.reasonLabel = change.reason?.label
        page.note = change.note
        return try await render(req, page, status: status)
    }

    func showCancel(req: Request) async throws -> Response {
        let subject: Subject
        switch try await cancellable(req) {
        case .failure(let page): return page.response
        case .success(let found): subject = found
        }
        return try await renderCancel(req, "cancel", subject, pendingCancellation(req, subject))
    }

    func chooseReason(req: Request) async throws -> Response {
        try Self.checkCSRF(req)
        let subject: Subject
        switch try await cancellable(req) {
        case .failure(let page): return page.response
        case .success(let found): subject = found
        }
        var change = pendingCancellation(req, subject)
        let errors = RequestChange.choose(
            reason: try? req.content.get(String.self, at: "reason"),
            note: try? req.content.get(String.self, at: "note"), in: &change)
        change.idempotencyKey = Self.newKey()
        ChangeGrant.keep(change, req.webSession, careRequest: subject.request.id)
        guard errors.isEmpty else {
            return try await renderCancel(req, "cancel", subject, change, errors: errors, status: .unprocessableEntity)
        }
        return req.redirect(to: path(subject.request.id, "cancel/confirm"))
    }

    func showCancelConfirmation(req: Request) async throws -> Response {
        let subject: Subject
        switch try await cancellable(req) {
        case .failure(let page): return page.response
        case .success(let found): subject = found
        }
        let change = pendingCancellation(req, subject)
        guard change.reason != nil else { return req.redirect(to: path(subject.request.id, "cancel")) }
        return try await renderCancel(req, "cancel-confirm", subject, change)
    }

    func cancel(req: Request) async throws -> Response {
        try Self.checkCSRF(req)
        let subject: Subject
        switch try await self.subject(req) {
        case .failure(let page): return page.response
        case .success(let found): subject = found
        }
        let id = subject.request.id
        // A confirmation sent before (a double submit) is sent again with the same key: Station answers it again.
        guard var change = ChangeGrant.pending(Cancellation.self, req.webSession, careRequest: id),
            let reason = change.reason
        else { return req.redirect(to: path(id, "cancel")) }
        guard subject.request.changeable || change.sent else { return try await closed(req, subject) }
        let resent = change.sent
        do {
            _ = try await service.downstream.station.cancel(
                id, reason: reason, note: change.note.isEmpty ? nil : change.note, by: subject.requester,
                idempotencyKey: change.idempotencyKey)
        } catch let refusal as StationRefusal {
            await audit(req, subject.user, "care_request.cancel", id, outcome: Self.outcome(refusal))
            ServiceMetrics.count("care_request_changes_total", [("kind", "cancel"), ("outcome", "refused")])
            if refusal.isChangeClosed { return try await closed(req, subject, supportPhone: refusal.supportPhone) }
            if refusal.status == 404 { return try await notFound(req, subject.returnURL).response }
            change.idempotencyKey = Self.newKey()
            ChangeGrant.keep(change, req.webSession, careRequest: id)
            return try await renderCancel(
                req, "cancel", subject, change, notice: "We could not cancel the visit: \(refusal.detail)",
                status: .unprocessableEntity)
        } catch let error as Unavailable {
            req.logger.warning("cancel failed", metadata: ["service": .string(error.service)])
            return try await renderCancel(
                req, "cancel-confirm", subject, change,
                notice:
                    "We could not reach our scheduling system. Nothing was changed yet; press “Cancel the visit” again in a moment.",
                status: .serviceUnavailable)
        }
        change.sent = true
        ChangeGrant.keep(change, req.webSession, careRequest: id)
        await audit(
            req, subject.user, "care_request.cancel", id, outcome: "cancelled",
            detail: "\(subject.decision) reason=\(reason.rawValue)")
        ServiceMetrics.count("care_request_changes_total", [("kind", "cancel"), ("outcome", "cancelled")])
        if !resent { await track(.careRequestCancelled, subject, [.reason: .string(reason.rawValue)]) }
        return req.redirect(to: doneURL(subject, outcome: "cancelled"))
    }
}
