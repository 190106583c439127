import Fluent
import Foundation
import OSSDomain
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import OSS
@testable import Platform

/// Station's events at `POST /internal/v1/station-events` and the emails they queue for patients who scheduled
/// for themselves; the one-click unsubscribe.
@Suite("Patient emails")
struct PatientEmailTests {
    typealias Harness = OSSHarness

    @Test("a push without a valid signature is refused with 401 and changes nothing")
    func badSignature() async throws {
        try await Harness.with { oss in
            let request = try await oss.patientRequest()
            let event = oss.event(7, request, .created, to: .requested)
            #expect(try await oss.push(event, secret: "not-the-secret").status == .unauthorized)
            #expect(try await oss.push(event, signed: false).status == .unauthorized)
            #expect(try await StationEventReceiptModel.query(on: oss.app.db).count() == 0)
            #expect(try await oss.queuedMail().isEmpty)
        }
    }

    @Test("the same push twice is answered twice and queues one email")
    func repeatOnce() async throws {
        try await Harness.with { oss in
            let request = try await oss.patientRequest()
            let event = oss.event(8, request, .created, to: .requested)
            try await oss.expectHandled(event)
            try await oss.expectHandled(event)
            #expect(try await oss.queuedMail().count == 1)
        }
    }

    @Test("a partner's request mails no patient")
    func partnerRequest() async throws {
        try await Harness.with { oss in
            let careRequest = CareRequestID.random()
            let partnerDraft = Draft(
                id: .random(), audience: .partner, owner: .partnerUser(Harness.sunrise, Harness.scheduler.id),
                status: .submitted(careRequest), createdAt: oss.clock.now)
            try await OSSApp.service(oss.app).create(partnerDraft)
            for (id, status) in [(1, CareRequestStatus.requested), (2, .scheduled), (3, .complete)] {
                var event = oss.event(Int64(id), careRequest, id == 1 ? .created : .statusChanged, to: status)
                event.partner = Harness.sunrise
                try await oss.expectHandled(event)
            }
            #expect(try await oss.queuedMail().isEmpty)
            #expect(try await StationEventReceiptModel.query(on: oss.app.db).count() == 3)
        }
    }

    @Test("a patient's request: one email per notifying status, naming nothing but the first name")
    func patientRequest() async throws {
        try await Harness.with { oss in
            let request = try await oss.patientRequest()
            let moves: [(CareRequestEvent.Kind, CareRequestStatus)] = [
                (.created, .requested), (.statusChanged, .accepted), (.statusChanged, .scheduled),
                (.statusChanged, .onRoute), (.statusChanged, .onScene), (.statusChanged, .complete),
            ]
            for (index, move) in moves.enumerated() {
                let event = oss.event(Int64(index + 1), request, move.0, to: move.1)
                try await oss.expectHandled(event)
            }
            let mail = try await oss.queuedMail()
            try #require(
                mail.map(\.subject) == [
                    "We received your request for a home visit", "Your home visit is booked",
                    "Your clinician is on the way", "Your home visit is complete",
                ])
            for message in mail {
                #expect(message.to == [MailAddress(address: "pat@example.com")])
                for part in [message.text, message.html] {
                    #expect(part.contains("Hi Pat,"))
                    #expect(part.contains("http://localhost:8081/requests/\(request.wire)"))
                    #expect(part.contains("(303) 555-0100"))
                    #expect(part.contains("http://localhost:8081/unsubscribe/"))
                    for phi in ["Patient", "1960", "Rash", "Colfax", "80203", "303-555-0123"] {
                        #expect(!part.contains(phi), "\(message.subject) names \(phi)")
                    }
                }
                #expect(!message.subject.contains("Pat"))
                let link = try #require(message.headers["List-Unsubscribe"])
                #expect(link.hasPrefix("<http://localhost:8081/unsubscribe/") && link.hasSuffix(">"))
                #expect(message.text.contains(String(link.dropFirst().dropLast())))
                #expect(message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click")
            }
            // Times read in the market's zone (Denver), as the visit keeps them.
            #expect(mail[1].text.contains("MST") || mail[1].text.contains("MDT"))
            let cancelled = try await oss.patientRequest()
            try await oss.expectHandled(oss.event(20, cancelled, .statusChanged, to: .archived))
            #expect(try await oss.queuedMail().last?.subject == "Your home visit was cancelled")
        }
    }

    @Test("a creation pushed while its submit is still under way is asked for again")
    func createdBeforeSubmitFinished() async throws {
        try await Harness.with { oss in
            let submitting = Draft(
                id: .random(), audience: .direct, owner: .patient(account: "patient-subject-1"), status: .submitting,
                createdAt: oss.clock.now)
            try await OSSApp.service(oss.app).create(submitting)
            let event = oss.event(9, .random(), .created, to: .requested)
            #expect(try await oss.push(event).status == .serviceUnavailable)
            #expect(try await StationEventReceiptModel.query(on: oss.app.db).count() == 0)
        }
    }

    @Test("one click unsubscribes the account: later changes mail nothing; a forged link is refused")
    func unsubscribe() async throws {
        try await Harness.with { oss in
            let request = try await oss.patientRequest()
            try await oss.expectHandled(oss.event(1, request, .created, to: .requested))
            let header = try #require(try await oss.queuedMail().first?.headers["List-Unsubscribe"])
            let path = String(header.dropFirst().dropLast()).replacingOccurrences(of: "http://localhost:8081", with: "")
            let page = try await oss.app.testing().sendRequest(.GET, path)
            #expect(page.status == .ok && page.text.contains("Stop these emails"))

            let forged = path.dropLast(3) + "abc"
            #expect(try await oss.app.testing().sendRequest(.GET, String(forged)).status == .badRequest)
            #expect(try await oss.app.testing().sendRequest(.POST, String(forged)).status == .badRequest)
            // As a mail client does it (RFC 8058): no cookie, no form token.
            var headers = HTTPHeaders()
            headers.contentType = .urlEncodedForm
            let done = try await oss.app.testing().sendRequest(
                .POST, path, headers: headers, body: ByteBuffer(string: "List-Unsubscribe=One-Click"))
            #expect(done.status == .ok && done.text.contains("You are unsubscribed"))
            #expect(try await oss.app.testing().sendRequest(.POST, path).status == .ok)

            try await oss.expectHandled(oss.event(2, request, .statusChanged, to: .scheduled))
            #expect(try await oss.queuedMail().count == 1)
        }
    }
}

extension OSSHarness {
    static let stationEventsSecret = "whsec_" + Data("oss-test-station-events-0123456789".utf8).base64EncodedString()
    static let patientID = PatientID(wire: "9a000000-0000-4000-8000-000000000001")!

    /// A care request a patient made in the patients' app (their submitted draft), Station knowing the patient with
    /// their account's email.
    func patientRequest(account: String = "patient-subject-1") async throws -> CareRequestID {
        let careRequest = CareRequestID.random()
        let window = StationWorld.windows[0]
        let answers = Draft.Answers(
            patient: .existing(
                .init(id: Self.patientID, name: "Pat Patient", dateOfBirth: "1960-06-06", phone: "303-555-0123")),
            reason: .init(chiefComplaint: "Rash on my arm", symptoms: ["symptom_wound"]),
            address: .init(line1: "2 Colfax Ave", city: "Denver", state: "CO", zip: "80203"),
            market: .init(id: StationWorld.denver.id, name: "Denver", timeZone: "America/Denver"),
            window: .init(start: window.start, end: window.end, label: "Tomorrow"))
        try await OSSApp.service(app).create(
            Draft(
                id: .random(), audience: .direct, owner: .patient(account: account), answers: answers,
                status: .submitted(careRequest), createdAt: clock.now))
        station.stub { s in
            s.patient = { id in
                PatientRecord(
                    id: id, partner: nil, givenName: "Pat", familyName: "Patient", dateOfBirth: "1960-06-06",
                    address: .init(line1: "2 Colfax Ave", city: "Denver", state: "CO", zip: "80203"),
                    email: "pat@example.com")
            }
            s.careRequest = { id in Self.stationDetail(id) }
        }
        return careRequest
    }

    /// The patient's request as Station has it: requested in the first window, never changed; `edit` changes it.
    static func stationDetail(_ id: CareRequestID, _ edit: (inout CareRequestDetail) -> Void = { _ in })
        -> CareRequestDetail
    {
        let window = StationWorld.windows[0]
        var detail = CareRequestDetail(
            id: id, patient: patientID, status: .requested, market: StationWorld.denver.id,
            chiefComplaint: "Rash on my arm",
            visitAddress: .init(line1: "2 Colfax Ave", city: "Denver", state: "CO", zip: "80203"),
            timeWindow: VisitWindow(start: window.start, end: window.end))
        edit(&detail)
        return detail
    }

    /// An event of Station's about `careRequest`, with the window the patient chose and, once scheduled, an ETA.
    func event(
        _ id: Int64, _ careRequest: CareRequestID, _ type: CareRequestEvent.Kind, to status: CareRequestStatus
    ) -> CareRequestEvent {
        let window = StationWorld.windows[0]
        let interval = CareRequestEvent.Interval(start: window.start, end: window.end)
        return CareRequestEvent(
            id: id, type: type, careRequest: careRequest, partner: nil, oldStatus: nil, newStatus: status,
            window: interval, eta: [.scheduled, .onRoute].contains(status) ? interval : nil, at: clock.now)
    }

    /// Pushes `event` as Station's outbox does, signed with `secret` (unless `signed` is false).
    func push(_ event: CareRequestEvent, secret: String = OSSHarness.stationEventsSecret, signed: Bool = true)
        async throws -> TestingHTTPResponse
    {
        let envelope = CareRequestEventEnvelope(event)
        let body = try CareRequestEvent.encoder.encode(envelope)
        let timestamp = Int(clock.now.timeIntervalSince1970)
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.add(name: "webhook-id", value: envelope.messageID)
        headers.add(name: "webhook-timestamp", value: String(timestamp))
        if signed {
            headers.add(
                name: "webhook-signature",
                value: WebhookSignature(secret: secret).sign(id: envelope.messageID, timestamp: timestamp, body: body))
        }
        return try await app.testing().sendRequest(
            .POST, "/internal/v1/station-events", headers: headers, body: ByteBuffer(data: body))
    }

    /// Pushes `event` and expects OSS to answer 204.
    func expectHandled(_ event: CareRequestEvent, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let response = try await push(event)
        #expect(response.status == .noContent, "\(response.text)", sourceLocation: sourceLocation)
    }

    /// The emails OSS queued, oldest first.
    func queuedMail() async throws -> [MailMessage] {
        try await OutboxLog(database: app.serviceDatabase).messages(destination: Mailer.destination, limit: 100)
            .reversed().map {
                try JSONDecoder().decode(MailMessage.self, from: $0.payload)
            }
    }
}
