import Foundation
import StationAPI
import StationDomain
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Station

/// Every text field keeps to the OpenAPI document's `maxLength` and holds no control or bidi-override characters.
@Suite("Text fields")
struct TextFieldTests {
    /// Each request-body `maxLength` in the document: (schema, property, limit), read from its flow-style lines.
    static func documentLimits() throws -> [(schema: String, property: String, max: Int)] {
        let lines = String(decoding: try StationAPIDocument.yaml(), as: UTF8.self).split(
            separator: "\n", omittingEmptySubsequences: false)
        var inSchemas = false
        var schema = ""
        var property = ""
        var limits: [(String, String, Int)] = []
        for line in lines {
            let indent = line.prefix { $0 == " " }.count
            let text = line.trimmingCharacters(in: .whitespaces)
            if indent == 2 { inSchemas = text == "schemas:" }
            guard inSchemas else { continue }
            if indent == 4, text.hasSuffix(":") { schema = String(text.dropLast()) }
            if indent == 8, let colon = text.firstIndex(of: ":") { property = String(text[..<colon]) }
            if indent >= 8, let range = text.range(of: "maxLength: ") {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let max = Int(digits) { limits.append((schema, property, max)) }
            }
        }
        return limits
    }

    enum Target {
        case patient, careRequest, statusChange, triageOutcome, partner, market, closure, serviceLine, careTeam
        case cancellation, reschedule, search, planAcceptance
    }

    /// Where a schema's property sits in a request: the body, the path into it, and the field a problem names.
    static func places(schema: String, property: String) -> [(Target, [String], String)] {
        switch (schema, property) {
        case ("NewPatient", _): [(.patient, [property], property)]
        case ("Address", _):
            [
                (.patient, ["address", property], "address.\(property)"),
                (.careRequest, ["visit_address", property], "visit_address.\(property)"),
                (.reschedule, ["visit_address", property], "visit_address.\(property)"),
            ]
        case ("Person", _):
            ["requester", "power_of_attorney", "callback_contact"].map {
                (.careRequest, [$0, property], "\($0).\(property)")
            }
        case ("Screening", "answers"): [(.careRequest, ["screening", "answers", "fever"], "screening.answers.fever")]
        case ("Screening", "reason_codes"):
            [(.careRequest, ["screening", "reason_codes", "0"], "screening.reason_codes[0]")]
        case ("Screening", _), ("Insurance", _):
            [(.careRequest, [schema.lowercased(), property], "\(schema.lowercased()).\(property)")]
        case ("NewCareRequest", _): [(.careRequest, [property], property)]
        case ("StatusChangeRequest", "reason"): [(.statusChange, ["reason"], "reason")]
        case ("TriageOutcomeRequest", _): [(.triageOutcome, [property], property)]
        case ("NewPartner", _): [(.partner, [property], property)]
        case ("MarketInput", _): [(.market, [property], property)]
        case ("ClosureInput", _): [(.closure, [property], property)]
        case ("NewServiceLine", _): [(.serviceLine, [property], property)]
        case ("CareTeamInput", _): [(.careTeam, [property], property)]
        case ("CancellationRequest", _): [(.cancellation, [property], property)]
        case ("RescheduleRequest", _): [(.reschedule, [property], property)]
        case ("CareRequestSearch", "cursor"): []
        case ("CareRequestSearch", _): [(.search, [property], property)]
        case ("DayPlanAcceptance", _): [(.planAcceptance, [property], property)]
        default: []
        }
    }

    static func body(_ target: Target, patient: String) -> [String: Any] {
        switch target {
        case .patient:
            return [
                "given_name": "Ada", "family_name": "Lovelace", "date_of_birth": "1950-01-01", "sex": "female",
                "address": ["line1": "1 Main St", "city": "Denver", "state": "CO", "zip": "80202"],
            ]
        case .careRequest:
            var body =
                (try? JSONSerialization.jsonObject(with: Data(Fixtures.careRequest(patient: patient).utf8)))
                as? [String: Any] ?? [:]
            body["power_of_attorney"] = ["name": "Pat Proxy", "phone": "3035550111", "relationship": "Son"]
            body["callback_contact"] = ["name": "Cal Back", "phone": "3035550112", "relationship": "Daughter"]
            body["insurance"] = ["self_pay": false, "payer": "Acme", "member_id": "M1", "group_number": "G1"]
            body["screening"] = [
                "questionnaire_version": "2024-1", "answers": ["fever": "yes"], "outcome": "self_schedule",
                "reason_codes": ["fever"],
            ]
            return body
        case .statusChange:
            return ["to": "archived", "reason": "Duplicate"]
        case .triageOutcome:
            return ["outcome": "close", "note": "Declined a visit.", "reason_code": "patient_declined"]
        case .partner:
            return ["name": "Alpine Assisted Living", "slug": "alpine", "market_ids": [Fixtures.denver]]
        case .market:
            return (try? JSONSerialization.jsonObject(with: Data(AdminFixtures.market().utf8))) as? [String: Any] ?? [:]
        case .closure:
            return ["reason": "Thanksgiving"]
        case .serviceLine:
            return ["name": "Hospice", "code": "hospice"]
        case .careTeam:
            return [
                "name": "Team North", "base_zip": "80202", "service_lines": ["acute_care"],
                "shifts": [["day": "monday", "starts_at": "08:00", "ends_at": "17:00"]],
            ]
        case .cancellation:
            return ["reason": "other", "note": "Moved away", "partner_id": Fixtures.sunrise, "on_behalf_of": "u-1"]
        case .reschedule:
            let start = Date().addingTimeInterval(86_400)
            return [
                "time_window": ["start": Fixtures.isoDate(start), "end": Fixtures.isoDate(start + 7200)],
                "visit_address": ["line1": "1 Main St", "city": "Denver", "state": "CO", "zip": "80202"],
                "partner_id": Fixtures.sunrise, "on_behalf_of": "u-1",
            ]
        case .search:
            return ["patient_name": "whit", "created_by_user_id": "user-1"]
        case .planAcceptance:
            return ["date": (try? Fixtures.denverDay(plus: 2)) ?? "2026-12-01", "version": "v"]
        }
    }

    static func set(_ value: String, at path: [String], in object: inout [String: Any]) {
        guard let key = path.first else { return }
        if path.count == 1 {
            object[key] = value
            return
        }
        if path.count == 2, var list = object[key] as? [Any], let index = Int(path[1]) {
            list[index] = value
            object[key] = list
            return
        }
        var child = object[key] as? [String: Any] ?? [:]
        set(value, at: Array(path.dropFirst()), in: &child)
        object[key] = child
    }

    /// Sends `target`'s body with `value` at `path`; a care request gets a fresh idempotency key and a status
    /// change a fresh care request.
    static func send(_ station: StationHarness, _ target: Target, path: [String], value: String, patient: String)
        async throws -> TestingHTTPResponse
    {
        var object = body(target, patient: patient)
        set(value, at: path, in: &object)
        let json = String(
            decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        switch target {
        case .patient:
            return try await station.call(.POST, "/v1/partners/\(Fixtures.sunrise)/patients", json: json)
        case .careRequest:
            return try await station.call(
                .POST, "/v1/care-requests", json: json, headers: [("Idempotency-Key", UUID().uuidString)])
        case .statusChange:
            let created = try await station.call(
                .POST, "/v1/care-requests", json: Fixtures.careRequest(patient: patient),
                headers: [("Idempotency-Key", UUID().uuidString)])
            let id = try #require(created.object["id"] as? String)
            return try await station.call(.POST, "/v1/care-requests/\(id)/status-changes", json: json)
        case .triageOutcome:
            let id = try await station.newCareRequest(triage: true)
            return try await station.send(
                .POST, "/v1/staff/care-requests/\(id)/triage-outcome", token: try await station.nurse(), json: json)
        case .partner:
            return try await station.admin(.POST, "/v1/admin/partners", json: json)
        case .market:
            return try await station.admin(.POST, "/v1/admin/markets", json: json)
        case .closure:
            let day = try Fixtures.denverDay(plus: 30)
            return try await station.admin(.PUT, "/v1/admin/markets/\(Fixtures.denver)/closures/\(day)", json: json)
        case .serviceLine:
            return try await station.admin(.POST, "/v1/admin/service-lines", json: json)
        case .careTeam:
            return try await station.admin(.POST, "/v1/admin/markets/\(Fixtures.denver)/care-teams", json: json)
        case .cancellation, .reschedule:
            let created = try await station.call(
                .POST, "/v1/care-requests", json: Fixtures.careRequest(patient: patient),
                headers: [("Idempotency-Key", UUID().uuidString)])
            let id = try #require(created.object["id"] as? String)
            return try await station.call(
                .POST, "/v1/care-requests/\(id)/\(target == .cancellation ? "cancellation" : "reschedule")", json: json,
                headers: [("Idempotency-Key", UUID().uuidString)])
        case .search:
            return try await station.call(.POST, "/v1/partners/\(Fixtures.sunrise)/care-requests/search", json: json)
        case .planAcceptance:
            return try await station.send(
                .POST, "/v1/staff/markets/\(Fixtures.denver)/plan/accept", token: try await station.dispatcher(),
                json: json)
        }
    }

    @Test("one character past every maxLength in the document is a 422 naming the field")
    func maxLengths() async throws {
        let limits = try Self.documentLimits()
        #expect(limits.count >= 20)
        try await StationHarness.with { station in
            let patient = try await CreateCareRequestTests.eleanor(station)
            for (schema, property, max) in limits {
                let places = Self.places(schema: schema, property: property)
                #expect(
                    // An over-long search cursor is a cursor this list never issued: 400, as for the list's query
                    // (CareRequestSearchTests.pages).
                    !places.isEmpty || (schema, property) == ("StatusChangeRequest", "actor") || schema == "Problem"
                        || (schema, property) == ("CareRequestSearch", "cursor")
                        || (schema, property) == ("PatientsCareRequestSearch", "cursor"),
                    "\(schema).\(property) (maxLength \(max)) is not exercised")
                for (target, path, field) in places {
                    let response = try await Self.send(
                        station, target, path: path, value: String(repeating: "7", count: max + 1),
                        patient: patient)
                    #expect(
                        response.status == .unprocessableEntity,
                        "\(field): \(response.status.code) \(response.text.prefix(300))")
                    #expect(response.problemFields.contains(field), "\(field): \(response.problemFields)")
                }
            }
        }
    }

    @Test("a 20,002-character name is refused; one of 100 is taken")
    func longName() async throws {
        try await StationHarness.with { station in
            let long = try await Self.send(
                station, .patient, path: ["given_name"], value: String(repeating: "n", count: 20_002), patient: "")
            #expect(long.status == .unprocessableEntity)
            #expect(long.problemFields == ["given_name"])
            let fits = try await Self.send(
                station, .patient, path: ["given_name"], value: String(repeating: "n", count: 100), patient: "")
            #expect(fits.status == .created, "\(fits.text)")
        }
    }

    @Test(
        "control and bidi-override characters are refused in every kind of text field",
        arguments: ["\u{0}", "\u{1B}", "\u{7F}", "\u{85}", "\u{9F}", "\u{202A}", "\u{202E}", "\u{2066}", "\u{2069}"])
    func controlCharacters(character: String) async throws {
        try await StationHarness.with { station in
            let patient = try await CreateCareRequestTests.eleanor(station)
            let cases: [(Target, [String], String)] = [
                (.patient, ["given_name"], "given_name"), (.patient, ["family_name"], "family_name"),
                (.patient, ["mrn"], "mrn"),
                (.patient, ["email"], "email"), (.patient, ["address", "city"], "address.city"),
                (.careRequest, ["chief_complaint"], "chief_complaint"),
                (.careRequest, ["requester", "name"], "requester.name"),
                (.careRequest, ["visit_address", "line1"], "visit_address.line1"),
                (.careRequest, ["screening", "answers", "fever"], "screening.answers.fever"),
                (.careRequest, ["insurance", "payer"], "insurance.payer"),
                (.careRequest, ["created_by_user_id"], "created_by_user_id"),
                (.statusChange, ["reason"], "reason"), (.triageOutcome, ["note"], "note"),
                (.partner, ["name"], "name"), (.market, ["name"], "name"), (.closure, ["reason"], "reason"),
                (.serviceLine, ["name"], "name"), (.careTeam, ["name"], "name"), (.cancellation, ["note"], "note"),
                (.cancellation, ["on_behalf_of"], "on_behalf_of"), (.reschedule, ["on_behalf_of"], "on_behalf_of"),
                (.reschedule, ["visit_address", "city"], "visit_address.city"),
                (.search, ["patient_name"], "patient_name"), (.search, ["created_by_user_id"], "created_by_user_id"),
            ]
            for (target, path, field) in cases {
                let response = try await Self.send(
                    station, target, path: path, value: "Ev\(character)il", patient: patient)
                #expect(
                    response.status == .unprocessableEntity,
                    "\(field) with U+\(String(format: "%04X", character.unicodeScalars.first?.value ?? 0))")
                #expect(Set(response.problemFields) == [field], "\(response.problemFields)")
            }
        }
    }

    @Test("line breaks are free text's only control characters")
    func lineBreaks() async throws {
        try await StationHarness.with { station in
            let patient = try await CreateCareRequestTests.eleanor(station)
            let complaint = try await Self.send(
                station, .careRequest, path: ["chief_complaint"], value: "Fever\r\nand cough\tsince Monday",
                patient: patient)
            #expect(complaint.status == .created, "\(complaint.text)")
            let name = try await Self.send(
                station, .patient, path: ["given_name"], value: "Ada\nLovelace", patient: patient)
            #expect(name.problemFields == ["given_name"])
        }
    }

    @Test("the search text and the Idempotency-Key refuse control characters too")
    func queryAndHeader() async throws {
        try await StationHarness.with { station in
            let search = try await station.call(.GET, "/v1/partners/\(Fixtures.sunrise)/patients?q=whit%E2%80%AEfield")
            #expect(search.status == .badRequest)
            #expect(search.problemFields == ["q"])
            let patient = try await CreateCareRequestTests.eleanor(station)
            let keyed = try await station.call(
                .POST, "/v1/care-requests", json: Fixtures.careRequest(patient: patient),
                headers: [("Idempotency-Key", "draft\u{202E}1")])
            #expect(keyed.status == .badRequest)
        }
    }
}
