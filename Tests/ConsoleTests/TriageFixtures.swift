import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import OpenAPIRuntime
import Vocabulary

@testable import Console

/// Station's answers for the triage pages, as JSON a stub transport returns.
enum TriageFixtures {
    static let marketA = MarketID.random()
    static let marketB = MarketID.random()
    static let partner = PartnerID.random()
    /// A window with room: Dec 1, 2026, 8–10 AM in Denver.
    static let window = DateInterval(
        start: Date(timeIntervalSince1970: 1_796_137_200), end: Date(timeIntervalSince1970: 1_796_144_400))

    struct Request {
        var id = CareRequestID.random()
        var patient = PatientID.random()
        var name: String
        var market = TriageFixtures.marketA
        var partner: PartnerID? = TriageFixtures.partner
        var createdAt = Date()
        var status = "pending_triage"
    }

    static func iso(_ date: Date) -> String { date.formatted(.iso8601) }

    static func careRequest(_ r: Request) -> [String: Any] {
        let names = r.name.split(separator: " ").map(String.init)
        var body: [String: Any] = [
            "id": r.id.wire, "status": r.status, "source": r.partner == nil ? "oss_d2m" : "oss_partner",
            "patient": [
                "id": r.patient.wire, "given_name": names[0], "family_name": names[1], "date_of_birth": "1941-03-09",
                "sex": "female", "created_at": iso(r.createdAt),
            ],
            "service_line": ["id": UUID().uuidString.lowercased(), "name": "Acute care"],
            "market": ["id": r.market.wire, "name": r.market == marketA ? "Denver" : "Boulder"],
            "chief_complaint": "Short of breath since yesterday",
            "visit_address": ["line1": "12 Elm St", "city": "Denver", "state": "CO", "zip": "80202"],
            "requester": ["name": "Dana Daughter", "relationship": "daughter", "phone": "+1 (303) 555-0199"],
            "has_callback_number": true,
            "screening": [
                "questionnaire_version": "2026-10", "answers": ["breathing_trouble": "yes"], "outcome": "nurse_triage",
                "reason_codes": ["breathing"],
            ],
            "created_at": iso(r.createdAt), "updated_at": iso(r.createdAt), "status_history": [],
        ]
        if let partner = r.partner { body["partner_id"] = partner.wire }
        return body
    }

    static func json(_ object: Any) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static func queue(_ requests: [Request]) -> String {
        json([
            "items": requests.map { r -> [String: Any] in
                var item: [String: Any] = [
                    "care_request": careRequest(r), "patient": careRequest(r)["patient"]!,
                    "waiting_since": iso(r.createdAt),
                ]
                if r.partner != nil { item["partner_name"] = "Sunrise Homes" }
                return item
            }
        ])
    }

    /// Stubs what the detail page asks Station about `request`.
    static func stubDetail(_ station: StubTransport, _ request: Request) {
        station.stub("getCareRequest", json: json(careRequest(request)))
        station.stub("getPartner", json: json(["id": partner.wire, "slug": "sunrise", "name": "Sunrise Homes"]))
        station.stub(
            "listMarkets",
            json: json([
                [
                    "id": marketA.wire, "name": "Denver", "state": "CO", "time_zone": "America/Denver",
                    "zip_codes": ["80202"], "opens_at": "08:00", "closes_at": "18:00", "window_minutes": 120,
                    "capacity_per_window": 4, "road_factor": 1.3, "average_speed_mph": 25,
                ]
            ]))
        station.stub(
            "getMarketAvailability",
            json: json([
                ["start": iso(window.start), "end": iso(window.end), "capacity": 4, "remaining": 2],
                [
                    "start": iso(window.end), "end": iso(window.end.addingTimeInterval(7200)), "capacity": 4,
                    "remaining": 0,
                ],
            ]))
    }

    /// Records what Console sends to `recordTriageOutcome` and answers with `status` and `json`.
    static func stubOutcome(
        _ station: StubTransport, status: HTTPResponse.Status = .ok, json answer: String
    ) -> NIOLockedValueBox<[[String: String]]> {
        let sent = NIOLockedValueBox<[[String: String]]>([])
        station.stub("recordTriageOutcome") { _, body in
            let data = try await Data(collecting: body!, upTo: 1 << 20)
            let object = try JSONSerialization.jsonObject(with: data) as! [String: String]
            sent.withLockedValue { $0.append(object) }
            var response = HTTPResponse(status: status)
            response.headerFields[.contentType] = status.code >= 400 ? "application/problem+json" : "application/json"
            return (response, HTTPBody(answer))
        }
        return sent
    }
}
