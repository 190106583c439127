import Foundation
import OSSDomain
import StationAPI
import Testing
import Vocabulary

@testable import OSS

/// Station's answers to a change, as OSS reads them at the edge, without a server.
@Suite("Station mapping of changes")
struct ChangeMappingTests {
    @Test("a care request carries its partner, calendar sequence, cancellation and whether it may change")
    func detail() throws {
        let partner = PartnerID.random()
        let json = """
            {"id": "\(CareRequestID.random().wire)", "partner_id": "\(partner.wire)",
             "patient": {"id": "\(PatientID.random().wire)", "given_name": "A", "family_name": "B",
                         "date_of_birth": "1940-01-01", "sex": "female", "created_at": "2026-11-01T00:00:00Z"},
             "status": "archived", "service_line": {"id": "\(ServiceLineID.random().wire)", "name": "Acute care"},
             "market": {"id": "\(MarketID.random().wire)", "name": "Denver"}, "source": "oss_partner",
             "chief_complaint": "Cough", "visit_address": {"line1": "1 Main", "city": "Denver", "state": "CO", "zip": "80202"},
             "requester": {"name": "Sam"}, "has_callback_number": true,
             "screening": {"questionnaire_version": "1", "answers": {}, "outcome": "self_schedule", "reason_codes": []},
             "created_at": "2026-11-01T00:00:00Z", "updated_at": "2026-11-02T00:00:00Z", "calendar_sequence": 2,
             "cancellation": {"reason": "scheduled_elsewhere", "cancelled_at": "2026-11-02T00:00:00Z", "actor": "u1"},
             "changeable": false, "status_history": []}
            """
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let detail = try CareRequestDetail(
            try decoder.decode(Components.Schemas.CareRequest.self, from: Data(json.utf8)))
        #expect(detail.partner == partner && detail.calendarSequence == 2 && !detail.changeable)
        #expect(detail.cancellation?.reason == .scheduledElsewhere && detail.cancellation?.actor == "u1")
        #expect(detail.cancellation?.note == nil)
    }

    @Test("a closed change carries Station's number; a full window its next windows")
    func refusals() {
        let closed = LiveStationGateway.changeRefusal(
            409,
            .init(
                _type: StationRefusal.changeClosedType, title: "Change closed", status: 409,
                detail: "The care team is on the way.", supportPhone: "(303) 555-0199"))
        #expect(closed.isChangeClosed && closed.supportPhone == "(303) 555-0199")
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        let full = LiveStationGateway.changeRefusal(
            409,
            .init(
                _type: "https://selfscheduling.example/problems/window-full", title: "Full", status: 409,
                nextAvailableWindows: [
                    .init(start: start, end: start.addingTimeInterval(7200), capacity: 4, remaining: 1)
                ]))
        #expect(!full.isChangeClosed && full.nextWindows.map(\.start) == [start])
        #expect(!LiveStationGateway.changeRefusal(404, nil).isChangeClosed)
    }
}
