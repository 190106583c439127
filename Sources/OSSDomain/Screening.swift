import Vocabulary

/// The screening questionnaire and its rules, versioned: each care request records the version it was
/// screened with, its answers, the outcome and the reasons.
package enum ScreeningRules {
    package static let version = "2026-11.1"

    package struct Symptom: Sendable, Equatable {
        package var id: String
        package var label: String
        package var outcome: ScreeningOutcome
    }

    /// The checklist, most serious first.
    package static let symptoms: [Symptom] = [
        Symptom(id: "chest_pain", label: "Chest pain or pressure", outcome: .emergency),
        Symptom(id: "trouble_breathing", label: "Severe trouble breathing", outcome: .emergency),
        Symptom(id: "stroke_signs", label: "Face drooping, arm weakness or slurred speech", outcome: .emergency),
        Symptom(id: "severe_bleeding", label: "Bleeding that will not stop", outcome: .emergency),
        Symptom(id: "unresponsive", label: "Hard to wake or unresponsive", outcome: .emergency),
        Symptom(id: "confusion", label: "New confusion", outcome: .nurseTriage),
        Symptom(id: "fall_injury", label: "A fall with a possible injury", outcome: .nurseTriage),
        Symptom(id: "high_fever", label: "Fever over 103 °F (39.4 °C)", outcome: .nurseTriage),
        Symptom(id: "fever", label: "Fever", outcome: .selfSchedule),
        Symptom(id: "cough", label: "Cough or congestion", outcome: .selfSchedule),
        Symptom(id: "urinary", label: "Urinary symptoms", outcome: .selfSchedule),
        Symptom(id: "wound", label: "A wound or skin problem", outcome: .selfSchedule),
        Symptom(id: "swelling", label: "Swelling in the legs", outcome: .selfSchedule),
    ]

    package struct Result: Sendable, Equatable {
        package var outcome: ScreeningOutcome
        package var reasonCodes: [String]
        /// Every symptom of the checklist, `yes` or `no`.
        package var answers: [String: String]
    }

    package struct UnknownSymptom: Error, Equatable {
        package var id: String

        package init(id: String) { self.id = id }
    }

    /// Screens the chosen symptoms: any emergency sign wins, then anything that needs a nurse.
    package static func screen(_ chosen: Set<String>) throws(UnknownSymptom) -> Result {
        let known = Set(symptoms.map(\.id))
        if let unknown = chosen.subtracting(known).sorted().first { throw UnknownSymptom(id: unknown) }
        return screen(known: chosen)
    }

    /// ``screen(_:)`` for symptoms taken from the checklist itself; any other id is ignored.
    static func screen(known chosen: Set<String>) -> Result {
        let answers = Dictionary(uniqueKeysWithValues: symptoms.map { ($0.id, chosen.contains($0.id) ? "yes" : "no") })
        for outcome in [ScreeningOutcome.emergency, .nurseTriage] {
            let reasons = symptoms.filter { $0.outcome == outcome && chosen.contains($0.id) }.map(\.id)
            if !reasons.isEmpty { return Result(outcome: outcome, reasonCodes: reasons, answers: answers) }
        }
        return Result(outcome: .selfSchedule, reasonCodes: [], answers: answers)
    }
}
