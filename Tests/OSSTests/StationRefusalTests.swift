import Fluent
import Foundation
@testable import OSS
import Testing
import Vapor
import VaporTesting

/// When Station refuses an answer, the person sees which one and why, on its step, with the draft kept; and OSS
/// never invents a callback number.
@Suite("Station's refusals in the flow")
struct StationRefusalTests {
    typealias Harness = OSSHarness

    @Test("a birth date Station refuses brings back the patient step with the field marked, nothing lost")
    func patientRefused() async throws {
        try await Harness.with { oss in
            let flows = FlowTests()
            let before = try await flows.careRequests(oss)
            let (browser, draft, _) = try await flows.newDraft(oss)
            try await oss.fill(browser, draft: draft)
            // More than 130 years ago: OSS's own check lets it through, Station refuses it.
            _ = try await browser.post(draft, ["given_name": "Nora", "family_name": "Newcomer", "date_of_birth": "1850-02-03",
                                               "sex": "female", "phone": "303-555-0177"])
            let submit = try await browser.post(draft.replacingOccurrences(of: "/patient", with: "/submit"))
            #expect(submit.status == .unprocessableEntity, "\(submit.text.prefix(300))")
            #expect(submit.text.contains("130 years ago"))
            #expect(!submit.text.contains("could not reach"))
            #expect(submit.text.contains("Nora") && submit.text.contains("Newcomer"))
            #expect(try await flows.careRequests(oss) == before)
            #expect(try await DraftModel.query(on: oss.app.db).filter(\.$status == "open").count() == 1)
        }
    }

    @Test("with no phone given, the request carries no callback number, not our support line")
    func noInventedPhone() async throws {
        try await Harness.with { oss in
            let flows = FlowTests()
            let (browser, draft, _) = try await flows.newDraft(oss, patient: try await oss.patient("whitfield"))
            let base = draft.replacingOccurrences(of: "/patient", with: "")
            _ = try await browser.post(base + "/reason", ["chief_complaint": "Cough", "symptom_cough": "on"])
            _ = try await browser.post(base + "/location", ["line1": "1600 Larimer St", "city": "Denver", "state": "CO", "zip": "80202"])
            let windowPage = try await browser.get(base + "/window").text
            let value = try #require(windowPage.components(separatedBy: "name=\"window\" value=\"").dropFirst().first.map { String($0.prefix { $0 != "\"" }) })
            _ = try await browser.post(base + "/window", ["window": value.replacingOccurrences(of: "&#43;", with: "+")])
            _ = try await browser.post(base + "/details", [:])
            let submit = try await browser.post(base + "/submit")
            #expect(submit.status == .seeOther, "\(submit.text.prefix(300))")
            let row = try #require(try await oss.station.db.sql.raw("SELECT requester FROM care_requests ORDER BY created_ms DESC LIMIT 1").first())
            let requester = try row.decode(column: "requester", as: [String: String?].self)
            #expect((requester["phone"] ?? nil) == nil, "\(requester)")
        }
    }
}
