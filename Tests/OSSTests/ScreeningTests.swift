@testable import OSS
import Testing

@Suite("Screening rules")
struct ScreeningTests {
    @Test("the rule table", arguments: [
        ([String](), ScreeningRules.Outcome.selfSchedule),
        (["cough", "fever"], .selfSchedule),
        (["confusion"], .nurseTriage),
        (["fever", "high_fever"], .nurseTriage),
        (["chest_pain"], .emergency),
        (["trouble_breathing", "confusion"], .emergency),
        (["stroke_signs"], .emergency),
        (["severe_bleeding", "cough"], .emergency),
    ])
    func table(symptoms: [String], outcome: ScreeningRules.Outcome) throws {
        let result = try ScreeningRules.screen(Set(symptoms))
        #expect(result.outcome == outcome)
        #expect(result.reasonCodes.isEmpty == (outcome == .selfSchedule))
        #expect(result.answers.count == ScreeningRules.symptoms.count)
    }

    @Test("an unknown symptom is refused, not ignored")
    func unknown() {
        #expect(throws: ScreeningRules.UnknownSymptom(id: "bogus")) { try ScreeningRules.screen(["bogus"]) }
    }

    @Test("partners may skip insurance and power of attorney; patients must give insurance or self-pay, and a phone")
    func permissiveness() {
        let empty = DraftAnswers()
        #expect(StepRules.validate(.details, empty, audience: .partner).isEmpty)
        #expect(Set(StepRules.validate(.details, empty, audience: .direct).keys) == ["payer", "member_id", "callback_phone"])
        var selfPay = DraftAnswers()
        selfPay["self_pay"] = "on"
        selfPay["callback_phone"] = "303 555 0100"
        #expect(StepRules.validate(.details, selfPay, audience: .direct).isEmpty)
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
