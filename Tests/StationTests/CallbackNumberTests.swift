import Foundation
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Station

/// A request made without a callback number stores none and says so; nothing stands in for it.
@Suite("Callback number")
struct CallbackNumberTests {
    static func body(patient: String, requester: [String: Any], callback: [String: Any]? = nil) throws -> String {
        var body = try #require(
            try JSONSerialization.jsonObject(with: Data(Fixtures.careRequest(patient: patient).utf8)) as? [String: Any])
        body["requester"] = requester
        if let callback { body["callback_contact"] = callback }
        return String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
    }

    @Test(
        "no requester phone: stored as none, and the request says there is no callback number",
        arguments: [nil, "", "  "])
    func none(phone: String?) async throws {
        try await StationHarness.with { station in
            let patient = try await CreateCareRequestTests.eleanor(station)
            var requester: [String: Any] = ["name": "Pat Scheduler"]
            if let phone { requester["phone"] = phone }
            let created = try await station.call(
                .POST, "/v1/care-requests", json: try Self.body(patient: patient, requester: requester),
                headers: [("Idempotency-Key", UUID().uuidString)])
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.object["id"] as? String)
            let uuid = try #require(UUID(uuidString: id))
            let stored = try #require(try await station.store.careRequest(CareRequestID(uuid)))
            #expect(stored.model.requester.phone == nil)
            let read = try await station.call(.GET, "/v1/care-requests/\(id)")
            #expect((read.object["requester"] as? [String: Any])?["phone"] == nil)
            #expect(read.object["has_callback_number"] as? Bool == false)
        }
    }

    @Test("a requester's or callback contact's number is a callback number; a callback contact must have one")
    func given() async throws {
        try await StationHarness.with { station in
            let patient = try await CreateCareRequestTests.eleanor(station)
            let withPhone = try await station.call(
                .POST, "/v1/care-requests",
                json: try Self.body(patient: patient, requester: ["name": "Pat", "phone": "303-555-0199"]),
                headers: [("Idempotency-Key", UUID().uuidString)])
            #expect(withPhone.object["has_callback_number"] as? Bool == true)
            let viaContact = try await station.call(
                .POST, "/v1/care-requests",
                json: try Self.body(
                    patient: patient, requester: ["name": "Pat"],
                    callback: ["name": "Cal", "phone": "303-555-0111"]),
                headers: [("Idempotency-Key", UUID().uuidString)])
            #expect(viaContact.object["has_callback_number"] as? Bool == true)
            let contactWithout = try await station.call(
                .POST, "/v1/care-requests",
                json: try Self.body(patient: patient, requester: ["name": "Pat"], callback: ["name": "Cal"]),
                headers: [("Idempotency-Key", UUID().uuidString)])
            #expect(contactWithout.status == .unprocessableEntity)
            #expect(contactWithout.problemFields == ["callback_contact.phone"])
        }
    }
}

/// Not-found answers name ids in one canonical form (lowercase), whatever case the caller typed.
@Suite("Canonical ids")
struct CanonicalIDTests {
    @Test(
        "a not-found answer names the lowercase id",
        arguments: [
            "/v1/care-requests/%@", "/v1/patients/%@", "/v1/patients/%@/care-requests", "/v1/partners/%@",
            "/v1/partners/SUNRISE/care-requests/%@", "/v1/partners/SUNRISE/patients/%@",
        ])
    func lowercase(template: String) async throws {
        try await StationHarness.with { station in
            let id = UUID()
            let path = template.replacingOccurrences(of: "%@", with: id.uuidString)
                .replacingOccurrences(of: "SUNRISE", with: Fixtures.sunrise.uppercased())
            let response = try await station.call(.GET, path)
            #expect(response.status == .notFound)
            let detail = try #require(response.object["detail"] as? String)
            #expect(detail.contains(id.uuidString.lowercased()), "\(detail)")
            #expect(!detail.contains(id.uuidString), "\(detail)")
        }
    }

    @Test("a care request for an unknown partner names it in lowercase")
    func unknownPartner() async throws {
        try await StationHarness.with { station in
            let patient = try await CreateCareRequestTests.eleanor(station)
            let partner = UUID()
            let response = try await station.call(
                .POST, "/v1/care-requests",
                json: Fixtures.careRequest(patient: patient, partner: partner.uuidString),
                headers: [("Idempotency-Key", UUID().uuidString)])
            #expect(response.status == .notFound)
            #expect((response.object["detail"] as? String)?.contains(partner.uuidString.lowercased()) == true)
            #expect(!response.text.contains(partner.uuidString))
        }
    }
}
