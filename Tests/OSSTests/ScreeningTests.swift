import OSSDomain
import Testing
import Vocabulary

@Suite("Screening rules")
struct ScreeningTests {
    @Test(
        "the rule table",
        arguments: [
            ([String](), ScreeningOutcome.selfSchedule),
            (["cough", "fever"], .selfSchedule),
            (["confusion"], .nurseTriage),
            (["fever", "high_fever"], .nurseTriage),
            (["chest_pain"], .emergency),
            (["trouble_breathing", "confusion"], .emergency),
            (["stroke_signs"], .emergency),
            (["severe_bleeding", "cough"], .emergency),
        ])
    func table(symptoms: [String], outcome: ScreeningOutcome) throws {
        let result = try ScreeningRules.screen(Set(symptoms))
        #expect(result.outcome == outcome)
        #expect(result.reasonCodes.isEmpty == (outcome == .selfSchedule))
        #expect(result.answers.count == ScreeningRules.symptoms.count)
    }

    @Test("an unknown symptom is refused, not ignored")
    func unknown() {
        #expect(throws: ScreeningRules.UnknownSymptom(id: "bogus")) { try ScreeningRules.screen(["bogus"]) }
    }

    @Test("return URLs must be on an allow-listed origin")
    func returnURLs() {
        let origins = ["http://localhost:8080"]
        #expect(ReturnURLPolicy.isAllowed("http://localhost:8080/care-requests/returned", origins: origins))
        #expect(!ReturnURLPolicy.isAllowed("http://localhost:8081/x", origins: origins))
        #expect(!ReturnURLPolicy.isAllowed("https://evil.example/x", origins: origins))
        #expect(!ReturnURLPolicy.isAllowed("http://localhost:8080@evil.example/x", origins: origins))
        #expect(!ReturnURLPolicy.isAllowed("javascript:alert(1)", origins: origins))
    }
}
