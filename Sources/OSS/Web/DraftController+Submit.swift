import Foundation
import OSSDomain
import Platform
import Vapor
import Vocabulary

extension DraftController {
    /// Creates the care request in Station (once per draft, whatever the retries) and, for partners, queues the
    /// callback to Express in the same transaction that completes the draft.
    func submit(req: Request) async throws -> Response {
        try Self.checkCSRF(req)
        let user = try req.requireFlowUser()
        guard var draft = try await draft(req) else { return try await notFound(req) }
        guard draft.status == .open else { return try await closed(req, draft) }
        if let unfinished = draft.unfinishedStep(today: service.now()) {
            return try await render(
                req, draft, step: unfinished.step, errors: unfinished.errors,
                notice: "Please complete this step first.",
                status: .unprocessableEntity)
        }
        // One submit at a time per draft: a double click or a second tab waits for the first.
        // A submit that died half-way was reopened by `draft(_:)` (see `OSSService.reopenIfStale`).
        guard try await service.move(&draft, from: .open, to: .submitting) else {
            if let fresh = try await service.draft(draft.id), case .submitted(let careRequest) = fresh.status {
                return req.redirect(to: finishURL(fresh, careRequest: careRequest))
            }
            return try await req.ossNotice(
                .conflict, app: app, title: "Your request is being sent",
                message: "This request is already being submitted. Wait a moment, then open it again.",
                linkURL: path(draft, Step.review.rawValue), linkText: "Open it again")
        }
        // The review page was submitted: its step is done (once per draft), and the request is on its way.
        let attempt = await service.attemptTracker(draft)
        if draft.markCompleted(.review) {
            try? await service.saveAnswers(&draft)
            await attempt.track(.onboardingStepCompleted, [.step: .string(Step.review.rawValue)])
        }
        // Which review it was submitted from, so the funnel compares the variants by what people saw.
        let review = await reviewVariant(draft)
        await attempt.track(
            .careRequestSubmitted,
            [
                .experimentID: .string(KnownExperiment.reviewStep.rawValue),
                .variationID: .string(review.rawValue),
            ])
        do {
            let patient = try await ensurePatient(&draft, user: user)
            let request = draft.careRequest(patient: patient, requesterName: user.name.isEmpty ? user.email : user.name)
            let created = try await service.downstream.station.createCareRequest(
                request, serviceLine: try await serviceLine())
            try await service.complete(&draft, careRequest: created)
            await attempt.track(.careRequestCreated, [.careRequestID: .string(created.wire)])
            await service.audit(
                "care_request.create", actor: user.owner.actor, partner: user.partner?.rawValue, subject: created.wire,
                outcome: "created", detail: "draft \(draft.id.wire)", request: req)
            return req.redirect(to: finishURL(draft, careRequest: created))
        } catch {
            _ = try await service.move(&draft, from: .submitting, to: .open)
            return try await submitFailed(req, draft, error)
        }
    }

    func submitFailed(_ req: Request, _ draft: Draft, _ error: any Error) async throws -> Response {
        do {
            throw error
        } catch let refusal as StationRefusal where refusal.status == 422 && !refusal.messages.isEmpty {
            // Station refused an answer (a birth date over 130 years ago, say): back to its step, the field marked.
            let refused = Draft.refusedStep(refusal.messages)
            return try await render(
                req, draft, step: refused.step, errors: refused.errors,
                notice: "Please check this answer; everything else is saved.", status: .unprocessableEntity)
        } catch let refusal as StationRefusal
            where refusal.status == 409 && !refusal.nextWindows.isEmpty || refusal.fields.contains("time_window")
        {
            var draft = draft
            draft.answers.window = nil
            try await service.saveAnswers(&draft)
            return try await render(
                req, draft, step: .window, errors: [:],
                notice: "That time window has just filled up. Please choose another one; everything else is saved.",
                status: .conflict)
        } catch let refusal as StationRefusal {
            return try await render(
                req, draft, step: .review, errors: [:],
                notice: "We could not create the request: \(refusal.detail)", status: .unprocessableEntity)
        } catch let error as Unavailable {
            req.logger.warning("submit failed", metadata: ["service": .string(error.service)])
            return try await render(
                req, draft, step: .review, errors: [:],
                notice:
                    "We could not reach our scheduling system. Your request is saved; press Submit again in a moment.",
                status: .serviceUnavailable)
        }
    }

    /// The patient's Station id: the prefilled or linked one, or a new record made now (and remembered at once,
    /// so a retried submit never makes a second patient), linked to the person of the account it is for.
    func ensurePatient(_ draft: inout Draft, user: FlowUser) async throws -> PatientID {
        let patient: PatientToCreate
        switch draft.requestPatient(accountEmail: user.email) {
        case .known(let id): return id
        case .toCreate(let new): patient = new
        }
        let created = try await service.downstream.station.createPatient(NewPatient(patient), for: draft.partner)
        if draft.partner == nil, let account = user.account {
            // The person the visit is for now has a record: theirs from now on (a draft from before people were
            // asked for links the account's "Myself").
            if let person = draft.answers.person {
                try await service.link(person, to: created.id)
            } else {
                try await service.link(account: account, to: created.id)
            }
        }
        draft.patientCreated(
            created.id, name: "\(created.givenName) \(created.familyName)", dateOfBirth: created.dateOfBirth)
        try await service.saveAnswers(&draft)
        return created.id
    }

    /// Self-scheduled visits are acute care; the dispatcher may change the line later.
    func serviceLine() async throws -> ServiceLineID {
        try await service.downstream.station.selfScheduledLine()
    }
}
