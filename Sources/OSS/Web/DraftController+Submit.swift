import Fluent
import Foundation
import Platform
import StationAPI
import Vapor

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
    func ensurePatient(_ draft: DraftModel, user: FlowUser) async throws -> String {
        if let id = UUID(uuidString: draft.answers["patient_id"]) { return id.uuidString.lowercased() }
        let a = draft.answers
        let body = Components.Schemas.NewPatient(
            givenName: a["given_name"], familyName: a["family_name"], dateOfBirth: a["date_of_birth"],
            sex: .init(rawValue: a["sex"]) ?? .unknown, phone: a["phone"].isEmpty ? nil : a["phone"],
            email: app.audience == .direct && !user.email.isEmpty ? user.email : nil,
            address: .init(line1: a["line1"], line2: a["line2"].isEmpty ? nil : a["line2"], city: a["city"], state: a["state"].uppercased(), zip: a["zip"]))
        let created: Components.Schemas.Patient
        if let partner = draft.partnerID {
            let output = try await Downstream.call("Station") {
                try await service.downstream.station.createPartnerPatient(path: .init(partnerId: partner.uuidString.lowercased()), body: .json(body))
            }
            guard case .created(let ok) = output, let patient = try? ok.body.json else { throw Self.patientRefusal(output) }
            created = patient
        } else {
            let output = try await Downstream.call("Station") { try await service.downstream.station.createDirectPatient(body: .json(body)) }
            guard case .created(let ok) = output, let patient = try? ok.body.json else { throw Self.patientRefusal(output) }
            created = patient
            let link = PatientLinkModel()
            link.id = user.owner
            guard let patientID = UUID(uuidString: patient.id) else {
                throw Unavailable(service: "Station", description: "Station answered a patient id that is not a UUID")
            }
            link.patientID = patientID
            try await service.write { db in
                if try await PatientLinkModel.find(user.owner, on: db) == nil { try await link.create(on: db) }
            }
        }
        draft.answers["patient_id"] = created.id
        draft.answers["patient_name"] = "\(created.givenName) \(created.familyName)"
        draft.answers["patient_dob"] = created.dateOfBirth
        try await service.save(draft)
        return created.id
    }

    /// A refused answer becomes a ``StationRefusal`` naming the OSS fields (Station's `address.zip` is the form's `zip`);
    /// anything else means Station could not be used just now.
    static func patientRefusal(_ output: some Sendable) -> any Error {
        let problem: Components.Schemas.Problem?
        switch output {
        case let output as Operations.CreatePartnerPatient.Output:
            if case .unprocessableContent(let body) = output { problem = try? body.body.applicationProblemJson } else { problem = nil }
        case let output as Operations.CreateDirectPatient.Output:
            if case .unprocessableContent(let body) = output { problem = try? body.body.applicationProblemJson } else { problem = nil }
        default:
            problem = nil
        }
        guard let problem, let fields = problem.errors, !fields.isEmpty else {
            return Unavailable(service: "Station", description: "Station refused to create the patient: \(output)")
        }
        var messages: [String: String] = [:]
        for field in fields {
            let name = field.field.hasPrefix("address.") ? String(field.field.dropFirst("address.".count)) : field.field
            let label = name.replacingOccurrences(of: "_", with: " ")
            messages[name] = "This \(label) \(field.message)."
        }
        return StationRefusal(status: 422, detail: problem.detail ?? "invalid", fields: fields.map(\.field), nextWindows: [], messages: messages)
    }

    func createCareRequest(_ draft: DraftModel, patient: String, user: FlowUser) async throws -> UUID {
        let a = draft.answers
        let iso = ISO8601DateFormatter()
        var window: Components.Schemas.TimeWindow?
        if a["outcome"] != "nurse_triage", let start = iso.date(from: a["window_start"]), let end = iso.date(from: a["window_end"]) {
            window = .init(start: start, end: end)
        }
        let symptoms = Set(a["symptoms"].split(separator: ",").map(String.init))
        let screening = try ScreeningRules.screen(symptoms)
        // No number given: none is sent (Station shows staff "no callback number"), never our own support line.
        let requesterPhone: String? = !a["callback_phone"].isEmpty ? a["callback_phone"] : !a["phone"].isEmpty ? a["phone"] : nil
        let body = Components.Schemas.NewCareRequest(
            partnerId: draft.partnerID?.uuidString.lowercased(), patientId: patient, serviceLineId: try await serviceLine(),
            source: app.audience == .partner ? .ossPartner : .ossD2m, chiefComplaint: a["chief_complaint"],
            visitAddress: .init(line1: a["line1"], line2: a["line2"].isEmpty ? nil : a["line2"], city: a["city"], state: a["state"].uppercased(), zip: a["zip"]),
            requester: .init(name: user.name.isEmpty ? user.email : user.name, phone: requesterPhone,
                             relationship: app.audience == .partner ? "Partner staff" : "Self"),
            screening: .init(questionnaireVersion: ScreeningRules.version, answers: .init(additionalProperties: screening.answers),
                             outcome: .init(rawValue: screening.outcome.rawValue)!, reasonCodes: screening.reasonCodes),
            insurance: a["self_pay"] == "on" ? .init(selfPay: true)
                : a["payer"].isEmpty ? nil : .init(selfPay: false, payer: a["payer"], memberId: a["member_id"],
                                                   groupNumber: a["group_number"].isEmpty ? nil : a["group_number"]),
            powerOfAttorney: a["poa_name"].isEmpty ? nil : .init(name: a["poa_name"], phone: a["poa_phone"]),
            callbackContact: a["callback_phone"].isEmpty ? nil : .init(name: a["callback_name"].isEmpty ? "Caller" : a["callback_name"],
                                                                       phone: a["callback_phone"]),
            timeWindow: window, createdByUserId: app.audience == .partner ? user.owner : nil,
            synthetic: draft.synthetic ? true : nil)
        let output = try await Downstream.call("Station") {
            try await service.downstream.station.createCareRequest(headers: .init(idempotencyKey: draft.id!.uuidString.lowercased()),
                                                                   body: .json(body))
        }
        switch output {
        case .created(let created):
            guard let id = UUID(uuidString: try created.body.json.id) else { throw Unavailable(service: "Station", description: "bad id") }
            return id
        case .conflict(let problem):
            let p = try? problem.body.applicationProblemJson
            throw StationRefusal(status: 409, detail: p?.detail ?? "conflict", fields: [], nextWindows: p?.nextAvailableWindows ?? [])
        case .unprocessableContent(let problem):
            let p = try? problem.body.applicationProblemJson
            throw StationRefusal(status: 422, detail: p?.detail ?? "invalid", fields: p?.errors?.map { $0.field } ?? [], nextWindows: [])
        default:
            throw Unavailable(service: "Station", description: "Station answered \(output)")
        }
    }

    /// Self-scheduled visits are acute care; the dispatcher may change the line later.
    func serviceLine() async throws -> String {
        let output = try await Downstream.call("Station") { try await service.downstream.station.listServiceLines() }
        guard case .ok(let ok) = output, let lines = try? ok.body.json, let line = lines.first(where: { $0.name == "Acute care" }) ?? lines.first
        else { throw Unavailable(service: "Station", description: "no service lines") }
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
