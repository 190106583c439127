import Fluent
import Foundation
import OSSDomain
import TestSupport
import Testing
import Vapor
import Vocabulary

@testable import OSS

/// Drafts saved before the answers were typed keep working: their `{"fields": {…}}` answers read into the typed
/// answers, and the pages show them as they showed them then.
@Suite("Stored drafts")
struct StoredDraftTests {
    typealias Harness = OSSHarness

    /// A draft row as OSS wrote it when the answers were text fields by name.
    final class LegacyDraftRow: Model, @unchecked Sendable {
        static let schema = "drafts"
        struct Fields: Codable { var fields: [String: String] }
        @ID(key: .id) var id: UUID?
        @Field(key: "audience") var audience: String
        @Field(key: "owner") var owner: String
        @OptionalField(key: "partner_id") var partnerID: UUID?
        @Field(key: "answers") var answers: Fields
        @Field(key: "status") var status: String
        @OptionalField(key: "return_url") var returnURL: String?
        @Field(key: "synthetic") var synthetic: Bool
        @Field(key: "created_at") var createdAt: Date
        @Field(key: "updated_at") var updatedAt: Date
        init() {}
    }

    static let legacyFields = [
        "given_name": "Nora", "family_name": "Newcomer", "date_of_birth": "1950-02-03", "sex": "female",
        "phone": "3035550100",
        "chief_complaint": "Cough for three days", "symptoms": "cough", "outcome": "self_schedule", "reason_codes": "",
        "line1": "1 Main St", "line2": "", "city": "Denver", "state": "CO", "zip": "80202",
        "market_id": "3a000000-0000-4000-8000-000000000001", "market_name": "Denver",
        "market_time_zone": "America/Denver",
        "window": "2026-09-22T15:00:00Z|2026-09-22T17:00:00Z", "window_start": "2026-09-22T15:00:00Z",
        "window_end": "2026-09-22T17:00:00Z", "window_label": "Tue, Sep 22, 9:00 AM – 11:00 AM MDT",
        "payer": "Aetna", "member_id": "W123", "self_pay": "", "callback_name": "Sam", "callback_phone": "303-555-0199",
    ]

    @Test("a draft saved as text fields opens with every answer, and its review reads as before")
    func legacyDraft() async throws {
        try await Harness.with { oss in
            let row = LegacyDraftRow()
            row.id = UUID()
            row.audience = "partner"
            row.owner = Harness.scheduler.owner
            row.partnerID = Harness.sunrise.rawValue
            row.answers = .init(fields: Self.legacyFields)
            row.status = "open"
            row.returnURL = Harness.expressOrigin + "/care-requests/returned"
            row.synthetic = false
            row.createdAt = oss.clock.now
            row.updatedAt = oss.clock.now
            try await row.create(on: oss.app.db)
            let id = try #require(row.id)

            let draft = try #require(try await OSSApp.service(oss.app).draft(DraftID(rawValue: id)))
            #expect(
                draft.answers.patient
                    == .new(
                        .init(
                            givenName: "Nora", familyName: "Newcomer", dateOfBirth: "1950-02-03", sex: .female,
                            phone: "3035550100")))
            #expect(
                draft.answers.reason?.chiefComplaint == "Cough for three days"
                    && draft.answers.reason?.outcome == .selfSchedule)
            #expect(draft.answers.market?.timeZone == "America/Denver")
            #expect(draft.answers.window?.label == "Tue, Sep 22, 9:00 AM – 11:00 AM MDT")
            #expect(
                draft.answers.details?.memberID == "W123" && draft.answers.details?.callback.phone == "303-555-0199")
            #expect(draft.unfinishedStep(today: oss.clock.now) == nil)

            let browser = try await oss.browser(partner: Harness.scheduler)
            let review = try await browser.get("/partner/drafts/\(id.uuidString.lowercased())/review")
            #expect(review.status == .ok)
            for shown in [
                "Nora Newcomer, born 1950-02-03", "1 Main St, Denver, CO 80202", "Tue, Sep 22, 9:00 AM – 11:00 AM MDT",
                "Aetna · W123", "Sam · 303-555-0199",
            ] {
                #expect(review.text.contains(shown), "\(shown)")
            }
            #expect(
                try await browser.get("/partner/drafts/\(id.uuidString.lowercased())/patient").text.contains(
                    "value=\"Nora\""))
        }
    }

    @Test("a saved draft is written back in the typed shape and reads the same")
    func typedRoundTrip() throws {
        let legacy = StoredAnswers.answers(legacy: Self.legacyFields)
        let data = try JSONEncoder().encode(StoredAnswers(legacy))
        #expect(!String(decoding: data, as: UTF8.self).contains("\"fields\""))
        #expect(try JSONDecoder().decode(StoredAnswers.self, from: data).answers == legacy)
        let old = try JSONEncoder().encode(["fields": Self.legacyFields])
        #expect(try JSONDecoder().decode(StoredAnswers.self, from: old).answers == legacy)
    }

    @Test("the callback waits in the outbox as Express's callback type, in the JSON it was always kept in")
    func callbackPayload() throws {
        let callback = CareRequestCallback(
            careRequest: try #require(CareRequestID(wire: "c0000000-0000-4000-8000-000000000001")),
            partner: Harness.sunrise, user: Harness.scheduler.id)
        let payload = try callback.outboxPayload()
        #expect(
            payload == #"{"care_request_id":"c0000000-0000-4000-8000-000000000001","event":"care_request.created","#
                + #""partner_id":"\#(Harness.sunrise.wire)","user_id":"0e5e0000-0000-4000-8000-000000000001"}"#)
        #expect(try CareRequestCallback(outboxPayload: Data(payload.utf8)) == callback)
    }

    @Test("a status is stored as its column's word, a submitted draft's care request in its own column")
    func statusColumn() {
        let careRequest = CareRequestID.random()
        for status in [Draft.Status.open, .submitting, .submitted(careRequest), .cancelled, .emergency] {
            #expect(Draft.Status(column: status.column, careRequest: careRequest.rawValue) == status)
        }
        #expect(Draft.Status(column: "submitted", careRequest: nil) == nil)
        #expect(Draft.Status(column: "archived", careRequest: nil) == nil)
    }
}
