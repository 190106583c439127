import Foundation
import OSSDomain
import Vocabulary

/// The drafts' `answers` column: ``Draft/Answers`` as JSON. Drafts saved before the answers were typed hold
/// `{"fields": {name: text}}`; they read into the typed answers, so a draft left open then goes on as it was.
/// Beside the answers, under `completedSteps`, the steps already done (``Draft/completedSteps``).
struct StoredAnswers: Codable, Sendable, Equatable {
    var answers: Draft.Answers
    var completedSteps: Set<Step>

    init(_ answers: Draft.Answers, completedSteps: Set<Step> = []) {
        self.answers = answers
        self.completedSteps = completedSteps
    }

    private enum LegacyKey: String, CodingKey { case fields }
    private enum ProgressKey: String, CodingKey { case completedSteps }

    init(from decoder: any Decoder) throws {
        if let legacy = try? decoder.container(keyedBy: LegacyKey.self),
            let fields = try legacy.decodeIfPresent([String: String].self, forKey: .fields)
        {
            answers = Self.answers(legacy: fields)
            completedSteps = []
        } else {
            answers = try Draft.Answers(from: decoder)
            let progress = try decoder.container(keyedBy: ProgressKey.self)
            completedSteps = Set(try progress.decodeIfPresent([Step].self, forKey: .completedSteps) ?? [])
        }
    }

    func encode(to encoder: any Encoder) throws {
        try answers.encode(to: encoder)
        guard !completedSteps.isEmpty else { return }
        var progress = encoder.container(keyedBy: ProgressKey.self)
        try progress.encode(Step.allCases.filter(completedSteps.contains), forKey: .completedSteps)
    }

    /// The typed answers of a draft saved as text fields by name (the shape before ``Draft/Answers``).
    static func answers(legacy fields: [String: String]) -> Draft.Answers {
        func text(_ key: String) -> String { fields[key] ?? "" }
        func any(_ keys: String...) -> Bool { keys.contains { !text($0).isEmpty } }
        var answers = Draft.Answers()
        if let id = PatientID(wire: text("patient_id")) {
            answers.patient = .existing(
                .init(
                    id: id, name: text("patient_name"), dateOfBirth: text("patient_dob"),
                    phone: text("phone").isEmpty ? nil : text("phone")))
        } else if any("given_name", "family_name", "date_of_birth", "sex", "phone") {
            answers.patient = .new(
                .init(
                    givenName: text("given_name"), familyName: text("family_name"), dateOfBirth: text("date_of_birth"),
                    sex: Draft.Sex(rawValue: text("sex")), phone: text("phone")))
        }
        if any("chief_complaint", "symptoms") {
            answers.reason = .init(
                chiefComplaint: text("chief_complaint"),
                symptoms: Set(text("symptoms").split(separator: ",").map(String.init)))
        }
        if any("line1", "line2", "city", "state", "zip") {
            answers.address = .init(
                line1: text("line1"), line2: text("line2"), city: text("city"), state: text("state"), zip: text("zip"))
        }
        if let market = MarketID(wire: text("market_id")) {
            answers.market = .init(id: market, name: text("market_name"), timeZone: text("market_time_zone"))
        }
        let iso = ISO8601DateFormatter()
        if let start = iso.date(from: text("window_start")), let end = iso.date(from: text("window_end")) {
            answers.window = .init(start: start, end: end, label: text("window_label"))
        }
        if any(
            "self_pay", "payer", "member_id", "group_number", "poa_name", "poa_phone", "callback_name", "callback_phone"
        ) {
            answers.details = .init(
                selfPay: text("self_pay") == "on", payer: text("payer"), memberID: text("member_id"),
                groupNumber: text("group_number"),
                powerOfAttorney: .init(name: text("poa_name"), phone: text("poa_phone")),
                callback: .init(name: text("callback_name"), phone: text("callback_phone")))
        }
        return answers
    }
}
