import Foundation

extension Draft {
    /// Keeps what was posted on `step`'s form, whatever it is (nothing typed is lost), and returns what is wrong
    /// with it: the step is done when nothing is. `form` is the page's posted fields by name.
    package mutating func record(_ step: Step, form: [String: String], today: Date) -> FieldErrors {
        func text(_ field: Field) -> String {
            String((form[field.rawValue] ?? "").prefix(field == .chiefComplaint ? 1000 : 200)).trimmingCharacters(
                in: .whitespacesAndNewlines)
        }
        switch step {
        case .patient:
            // A patient Station already knows is not changed here.
            if answers.patient?.known == nil {
                answers.patient = .new(
                    NewPatient(
                        givenName: text(.givenName), familyName: text(.familyName),
                        dateOfBirth: text(.dateOfBirth), sex: Sex(rawValue: text(.sex)), phone: text(.phone)))
            }
        case .reason:
            let chosen = ScreeningRules.symptoms.map(\.id).filter { form["symptom_\($0)"] == "on" }
            answers.reason = Reason(chiefComplaint: text(.chiefComplaint), symptoms: Set(chosen))
        case .location:
            answers.address = VisitAddress(
                line1: text(.line1), line2: text(.line2), city: text(.city), state: text(.state), zip: text(.zip))
        case .window:
            // Nothing chosen keeps the earlier choice; a choice that is not a window is none.
            if let posted = form[Field.window.rawValue] { answers.window = window(posted) }
        case .details:
            answers.details = Details(
                selfPay: text(.selfPay) == "on", payer: text(.payer), memberID: text(.memberID),
                groupNumber: text(.groupNumber),
                powerOfAttorney: Contact(name: text(.poaName), phone: text(.poaPhone)),
                callback: Contact(name: text(.callbackName), phone: text(.callbackPhone)))
        case .review:
            break
        }
        return StepRules.validate(step, answers, audience: audience, today: today)
    }

    /// A window posted as `start|end`, labelled in the market's zone.
    private func window(_ posted: String) -> TimeWindow? {
        TimeWindow(formValue: posted, zone: answers.market.flatMap { TimeZone(identifier: $0.timeZone) } ?? .current)
    }

    /// What the forms show for each field: the answers as typed.
    package var formValues: [Field: String] {
        var values: [Field: String] = [:]
        if case .new(let patient) = answers.patient {
            values[.givenName] = patient.givenName
            values[.familyName] = patient.familyName
            values[.dateOfBirth] = patient.dateOfBirth
            values[.sex] = patient.sex?.rawValue ?? ""
            values[.phone] = patient.phone
        }
        if let reason = answers.reason { values[.chiefComplaint] = reason.chiefComplaint }
        if let address = answers.address {
            values[.line1] = address.line1
            values[.line2] = address.line2
            values[.city] = address.city
            values[.state] = address.state
            values[.zip] = address.zip
        }
        if let window = answers.window { values[.window] = window.formValue }
        if let details = answers.details {
            values[.selfPay] = details.selfPay ? "on" : ""
            values[.payer] = details.payer
            values[.memberID] = details.memberID
            values[.groupNumber] = details.groupNumber
            values[.poaName] = details.powerOfAttorney.name
            values[.poaPhone] = details.powerOfAttorney.phone
            values[.callbackName] = details.callback.name
            values[.callbackPhone] = details.callback.phone
        }
        return values
    }

    package enum Next: Equatable, Sendable {
        case step(Step)
        /// Screening found an emergency sign: the draft closes and the person is told to call 911.
        case emergency
    }

    /// Where the person goes once `step` is done.
    package func next(after step: Step) -> Next {
        if step == .reason, answers.reason?.outcome == .emergency { return .emergency }
        let sequence = steps
        return .step(sequence[min((sequence.firstIndex(of: step) ?? 0) + 1, sequence.count - 1)])
    }

    /// The first step that is not done yet (bad answers, or an address no market was found for), with its errors;
    /// nil when the draft can be submitted.
    package func unfinishedStep(today: Date) -> (step: Step, errors: FieldErrors)? {
        for step in steps where step != .review {
            let errors = StepRules.validate(step, answers, audience: audience, today: today)
            if !errors.isEmpty || (step == .location && answers.market == nil) { return (step, errors) }
        }
        return nil
    }

    /// Where Station's refusal of some fields (its messages keyed by the forms' field names) is shown: the first
    /// step holding one of them, with those of its fields; the review page when none is a form field.
    package static func refusedStep(_ messages: [String: String]) -> (step: Step, errors: FieldErrors) {
        let refused = Dictionary(
            messages.compactMap { key, message in Field(rawValue: key).map { ($0, message) } },
            uniquingKeysWith: { a, _ in a })
        guard let step = Step.allCases.first(where: { step in step.fields.contains { refused[$0] != nil } }) else {
            return (.review, [:])
        }
        return (step, refused.filter { step.fields.contains($0.key) })
    }
}
