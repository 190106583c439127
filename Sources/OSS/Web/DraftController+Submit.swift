import Fluent
import Foundation
import Platform
import Vapor
import Vocabulary

extension DraftController {
    /// Creates the care request in Station (once per draft, whatever the retries) and, for partners, queues the
    /// callback to Express in the same transaction that completes the draft.
    func submit(req: Request) async throws -> Response {
        guard req.webSession.isValidCSRF(try? req.content.get(String.self, at: "csrf")) else {
            throw Abort(.forbidden, reason: "This form expired. Reload the page and try again.")
        }
        let user = try req.requireFlowUser()
        guard let draft = try await draft(req) else { return try await notFound(req) }
        guard draft.status == "open" else { return try await closed(req, draft) }
        for step in steps(draft) where step != .review {
            let errors = StepRules.validate(step, draft.answers, audience: app.audience)
            if !errors.isEmpty || (step == .location && draft.answers["market_id"].isEmpty) {
                return try await render(req, draft, step: step, errors: errors, notice: "Please complete this step first.",
                                        status: .unprocessableEntity)
            }
        }
        // One submit at a time per draft: a double click or a second tab waits for the first.
        // A submit that died half-way was reopened by `draft(_:)` (see `OSSService.reopenIfStale`).
        let claimed = try await service.move(draft, from: "open", to: "submitting")
        guard claimed else {
            if let fresh = try await DraftModel.find(draft.id!, on: service.db), fresh.status == "submitted", let id = fresh.careRequestID {
                return req.redirect(to: finishURL(fresh, careRequest: id))
            }
            return try await req.ossNotice(.conflict, app: app, title: "Your request is being sent",
                message: "This request is already being submitted. Wait a moment, then open it again.",
                linkURL: app.path("/drafts/\(draft.id!.uuidString.lowercased())/review"), linkText: "Open it again")
        }
        do {
            let patient = try await ensurePatient(draft, user: user)
            let created = try await createCareRequest(draft, patient: patient, user: user)
            try await complete(draft, careRequest: created, user: user)
            await service.audit("care_request.create", actor: user.owner, partner: user.partnerID, subject: created.uuidString.lowercased(),
                                outcome: "created", detail: "draft \(draft.id!.uuidString.lowercased())", request: req)
            return req.redirect(to: finishURL(draft, careRequest: created))
        } catch {
            _ = try await service.move(draft, from: "submitting", to: "open")
            return try await submitFailed(req, draft, error)
        }
    }

    func submitFailed(_ req: Request, _ draft: DraftModel, _ error: any Error) async throws -> Response {
        do {
            throw error
        } catch let refusal as StationRefusal where refusal.status == 422 && !refusal.messages.isEmpty {
            // Station refused an answer (a birth date over 130 years ago, say): back to its step, the field marked.
            let step = Step.allCases.first { step in refusal.messages.keys.contains { (Self.fields[step] ?? []).contains($0) } } ?? .review
            let errors = refusal.messages.filter { (Self.fields[step] ?? []).contains($0.key) }
            return try await render(req, draft, step: step, errors: errors,
                                    notice: "Please check this answer; everything else is saved.", status: .unprocessableEntity)
        } catch let refusal as StationRefusal where refusal.status == 409 && !refusal.nextWindows.isEmpty || refusal.fields.contains("time_window") {
            draft.answers["window_start"] = ""
            draft.answers["window"] = ""
            try await service.save(draft)
            return try await render(req, draft, step: .window, errors: [:],
                                    notice: "That time window has just filled up. Please choose another one; everything else is saved.",
                                    status: .conflict)
        } catch let refusal as StationRefusal {
            return try await render(req, draft, step: .review, errors: [:],
                                    notice: "We could not create the request: \(refusal.detail)", status: .unprocessableEntity)
        } catch let error as Unavailable {
            req.logger.warning("submit failed", metadata: ["service": .string(error.service)])
            return try await render(req, draft, step: .review, errors: [:],
                                    notice: "We could not reach our scheduling system. Your request is saved; press Submit again in a moment.",
                                    status: .serviceUnavailable)
        }
    }

    /// The patient's Station id: the prefilled or linked one, or a new record made now (and remembered at once,
    /// so a retried submit never makes a second patient).
    func ensurePatient(_ draft: DraftModel, user: FlowUser) async throws -> PatientID {
        if let id = PatientID(wire: draft.answers["patient_id"]) { return id }
        let a = draft.answers
        let patient = NewPatient(
            givenName: a["given_name"], familyName: a["family_name"], dateOfBirth: a["date_of_birth"],
            sex: Sex(rawValue: a["sex"]) ?? .unknown, phone: a["phone"].isEmpty ? nil : a["phone"],
            email: app.audience == .direct && !user.email.isEmpty ? user.email : nil,
            address: PostalAddress(line1: a["line1"], line2: a["line2"].isEmpty ? nil : a["line2"], city: a["city"],
                                   state: a["state"].uppercased(), zip: a["zip"]))
        let created = try await service.downstream.station.createPatient(patient, for: draft.partnerID.map(PartnerID.init(rawValue:)))
        if draft.partnerID == nil {
            let link = PatientLinkModel()
            link.id = user.owner
            link.patientID = created.id.rawValue
            try await service.write { db in
                if try await PatientLinkModel.find(user.owner, on: db) == nil { try await link.create(on: db) }
            }
        }
        draft.answers["patient_id"] = created.id.wire
        draft.answers["patient_name"] = "\(created.givenName) \(created.familyName)"
        draft.answers["patient_dob"] = created.dateOfBirth
        try await service.save(draft)
        return created.id
    }

    func createCareRequest(_ draft: DraftModel, patient: PatientID, user: FlowUser) async throws -> UUID {
        let a = draft.answers
        let iso = ISO8601DateFormatter()
        var window: VisitWindow?
        if a["outcome"] != "nurse_triage", let start = iso.date(from: a["window_start"]), let end = iso.date(from: a["window_end"]) {
            window = VisitWindow(start: start, end: end)
        }
        let symptoms = Set(a["symptoms"].split(separator: ",").map(String.init))
        let screening = try ScreeningRules.screen(symptoms)
        // No number given: none is sent (Station shows staff "no callback number"), never our own support line.
        let requesterPhone: String? = !a["callback_phone"].isEmpty ? a["callback_phone"] : !a["phone"].isEmpty ? a["phone"] : nil
        let request = NewCareRequest(
            partner: draft.partnerID.map(PartnerID.init(rawValue:)), patient: patient, serviceLine: try await serviceLine(),
            source: app.audience == .partner ? .partner : .direct, chiefComplaint: a["chief_complaint"],
            visitAddress: PostalAddress(line1: a["line1"], line2: a["line2"].isEmpty ? nil : a["line2"], city: a["city"],
                                        state: a["state"].uppercased(), zip: a["zip"]),
            requester: .init(name: user.name.isEmpty ? user.email : user.name, phone: requesterPhone,
                             relationship: app.audience == .partner ? "Partner staff" : "Self"),
            screening: .init(questionnaireVersion: ScreeningRules.version, answers: screening.answers,
                             outcome: ScreeningOutcome(rawValue: screening.outcome.rawValue)!, reasonCodes: screening.reasonCodes),
            insurance: a["self_pay"] == "on" ? .selfPay
                : a["payer"].isEmpty ? nil : .payer(name: a["payer"], memberID: a["member_id"],
                                                    groupNumber: a["group_number"].isEmpty ? nil : a["group_number"]),
            powerOfAttorney: a["poa_name"].isEmpty ? nil : .init(name: a["poa_name"], phone: a["poa_phone"]),
            callbackContact: a["callback_phone"].isEmpty ? nil : .init(name: a["callback_name"].isEmpty ? "Caller" : a["callback_name"],
                                                                       phone: a["callback_phone"]),
            timeWindow: window, createdBy: app.audience == .partner ? UserID(wire: user.owner) : nil,
            synthetic: draft.synthetic)
        return try await service.downstream.station.createCareRequest(request, idempotencyKey: DraftID(rawValue: draft.id!)).rawValue
    }

    /// Self-scheduled visits are acute care; the dispatcher may change the line later.
    func serviceLine() async throws -> ServiceLineID {
        let lines = try await service.downstream.station.serviceLines()
        guard let line = lines.first(where: { $0.name == "Acute care" }) ?? lines.first else {
            throw Unavailable(service: "Station", description: "no service lines")
        }
        return line.id
    }

    /// Completes the draft and, for partner requests, queues the callback in the same transaction.
    func complete(_ draft: DraftModel, careRequest: UUID, user: FlowUser) async throws {
        let now = service.now()
        try await service.write { db in
            guard let fresh = try await DraftModel.find(draft.id!, on: db), fresh.status == "submitting" else { return }
            fresh.status = "submitted"
            fresh.careRequestID = careRequest
            fresh.updatedAt = now
            try await fresh.save(on: db)
            guard fresh.audienceValue == .partner, let partner = fresh.partnerID else { return }
            let payload: [String: String] = [
                "event": "care_request.created", "care_request_id": careRequest.uuidString.lowercased(),
                "partner_id": partner.uuidString.lowercased(), "user_id": fresh.owner,
            ]
            let row = OutboxModel()
            row.id = UUID()
            row.webhookID = "msg_" + fresh.id!.uuidString.lowercased()
            row.payload = String(decoding: try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]), as: UTF8.self)
            row.attempts = 0
            row.nextAttemptAt = now
            row.createdAt = now
            try await row.create(on: db)
        }
        draft.status = "submitted"
        draft.careRequestID = careRequest
    }
}
