import Fluent
import Foundation
import OSSDomain
import Platform
import Vocabulary

/// Station's events as emails to patients who scheduled for themselves in OSS: only requests a patient's draft
/// created, only the changes ``PatientNotice`` names, never to an account that unsubscribed. Each push is handled
/// once (by its `webhook-id`), and its email is queued in the same transaction as its receipt.
struct PatientNotifications: Sendable {
    let service: OSSService

    /// Handles one push of Station's; a repeat of a `webhookID` already handled does nothing. Throws
    /// ``Problem/unavailable(_:)`` when Station should push it again later.
    func receive(_ envelope: CareRequestEventEnvelope, webhookID: String) async throws {
        let event = envelope.data
        if try await Receipts.seen(webhookID, in: StationEventReceiptModel.schema, on: service.db) { return }
        let mail = try await message(for: event)
        let at = service.now()
        try await service.write { db in
            guard try await Receipts.claim(webhookID, in: StationEventReceiptModel.schema, at: at, on: db) else {
                return
            }
            if let mail { try await Mailer.enqueue(mail, at: at, on: db) }
        }
        if mail != nil { ServiceMetrics.count("patient_emails_total", [("event", event.type.rawValue)]) }
    }

    /// The email `event` calls for, nil when it calls for none.
    func message(for event: CareRequestEvent) async throws -> MailMessage? {
        // A partner's request is its partner's to hear about, through Express.
        guard event.partner == nil, let notice = PatientNotice(event) else { return nil }
        guard let draft = try await patientDraft(of: event.careRequest) else {
            // Station may push a creation before the submit that caused it has recorded its care request.
            if event.type == .created, try await submitInFlight() {
                throw Problem.unavailable("A request is being submitted; push this event again shortly.")
            }
            return nil
        }
        guard case .patient(let account) = draft.owner,
            try await !optedOut(account, from: .requestUpdates),
            let recipient = try await recipient(of: draft, account: account)
        else { return nil }
        let unsubscribe = EmailUnsubscribe(account: account, kind: .requestUpdates)
        let unsubscribeURL =
            service.config.publicURL + "/unsubscribe/" + unsubscribe.token(secret: Self.secret(service))
        let zone = draft.answers.market.flatMap { TimeZone(identifier: $0.timeZone) } ?? DirectController.fallbackZone
        let requestURL = service.config.publicURL + "/requests/" + event.careRequest.wire
        let calendar = try await calendar(for: event, url: requestURL)
        let email = PatientEmail(
            notice,
            .init(
                firstName: recipient.givenName, requestURL: requestURL, unsubscribeURL: unsubscribeURL,
                phone: service.config.supportPhone, zone: zone,
                calendar: calendar.map { $0.cancelled ? .removes : event.type == .rescheduled ? .moves : .adds }))
        let from = service.config.mail.from
        return MailMessage(
            from: from, to: [recipient.address], subject: email.subject, text: email.text, html: email.html,
            headers: [
                "List-Unsubscribe": "<\(unsubscribeURL)>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            ],
            attachments: calendar.map { [MailAttachment($0)] } ?? [],
            messageID: "evt_\(event.id).patient@\(from.domain)")
    }

    /// The visit's `.ics` the email about `event` attaches (``NotificationCalendar``), with the calendar sequence
    /// and window of the request as Station has it now; Station not answering asks for the push again later.
    func calendar(for event: CareRequestEvent, url: String) async throws -> VisitCalendarEvent? {
        guard NotificationCalendar.attaches(event) else { return nil }
        let detail: CareRequestDetail?
        do {
            detail = try await service.downstream.station.careRequest(event.careRequest)
        } catch {
            throw Problem.unavailable("Station could not say when the visit is; push this event again later.")
        }
        guard let detail else { return nil }
        return NotificationCalendar.visit(
            for: event, sequence: detail.calendarSequence,
            window: detail.timeWindow.map { NotificationCalendar.interval($0.start, $0.end) }, status: detail.status,
            url: url, stamp: service.now())
    }

    /// The key unsubscribe links are signed with: derived from OSS's webhook secret for this purpose alone.
    static func secret(_ service: OSSService) -> String { service.config.webhookSecret }

    /// The patients' app's draft that created `careRequest`, nil when none did (a partner's, a phone request).
    func patientDraft(of careRequest: CareRequestID) async throws -> Draft? {
        try await DraftModel.query(on: service.db).filter(\.$careRequestID == careRequest.rawValue)
            .filter(\.$audience == Audience.direct.rawValue).first()?.draft()
    }

    /// Whether a patient's submit is under way (recently enough that it has not died half-way).
    func submitInFlight() async throws -> Bool {
        let since = service.now().addingTimeInterval(-OSSService.staleSubmitAfter)
        return try await DraftModel.query(on: service.db).filter(\.$audience == Audience.direct.rawValue)
            .filter(\.$status == Draft.Status.submitting.column).filter(\.$updatedAt >= since).first() != nil
    }

    func optedOut(_ account: String, from kind: EmailUnsubscribe.Kind) async throws -> Bool {
        try await EmailOptOutModel.query(on: service.db).filter(\.$account == account)
            .filter(\.$kind == kind.rawValue).first() != nil
    }

    struct Recipient {
        var givenName: String
        var address: MailAddress
    }

    /// Who the email goes to: the patient's first name and email as Station keeps them (the account's email,
    /// given when the patient was created); nil when Station has no usable address.
    func recipient(of draft: Draft, account: String) async throws -> Recipient? {
        var patient = draft.answers.patient?.known?.id
        if patient == nil {
            patient = try await service.people(of: account).first { $0.relationship == .myself }?.patient
        }
        guard let patient else { return nil }
        let record: PatientRecord?
        do {
            record = try await service.downstream.station.patient(patient)
        } catch {
            throw Problem.unavailable("Station could not say who to email; push this event again later.")
        }
        guard let record, let email = record.email, case let address = MailAddress(address: email), address.isValid
        else { return nil }
        return Recipient(givenName: record.givenName, address: address)
    }
}
