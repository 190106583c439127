import Foundation

/// Field rules per step and audience; each returns every bad field with a message for the person.
package enum StepRules {
    package static func validate(_ step: Step, _ answers: Draft.Answers, audience: Audience, today: Date = Date())
        -> Draft.FieldErrors
    {
        var errors: Draft.FieldErrors = [:]
        func required(_ field: Draft.Field, _ value: String, _ message: String) {
            if value.isEmpty { errors[field] = message }
        }
        func phone(_ field: Draft.Field, _ value: String) {
            let digits = value.filter(\.isNumber)
            if !value.isEmpty, !(10...15).contains(digits.count) || value.contains(where: \.isLetter) {
                errors[field] = "Enter a phone number with area code, such as (303) 555-0100."
            }
        }
        switch step {
        case .patient:
            guard case .new(let patient) = answers.patient ?? .new(.init()) else { break }
            required(.givenName, patient.givenName, "Enter the patient's first name.")
            required(.familyName, patient.familyName, "Enter the patient's last name.")
            if let date = CalendarText.day(patient.dateOfBirth) {
                if date > today { errors[.dateOfBirth] = "The date of birth cannot be in the future." }
            } else {
                errors[.dateOfBirth] = "Enter the date of birth as YYYY-MM-DD."
            }
            if patient.sex == nil { errors[.sex] = "Choose one." }
            required(.phone, patient.phone, "Enter a phone number for the patient.")
            phone(.phone, patient.phone)
        case .reason:
            let complaint = answers.reason?.chiefComplaint ?? ""
            required(.chiefComplaint, complaint, "Tell us, in a few words, why the patient needs a visit.")
            if complaint.count > 1000 { errors[.chiefComplaint] = "Use at most 1,000 characters." }
        case .location:
            let address = answers.address ?? .init()
            required(.line1, address.line1, "Enter the street address.")
            required(.city, address.city, "Enter the city.")
            if address.state.count != 2 || !address.state.allSatisfy(\.isLetter) {
                errors[.state] = "Enter the two-letter state, such as CO."
            }
            if address.zip.count != 5 || !address.zip.allSatisfy(\.isNumber) {
                errors[.zip] = "Enter the 5-digit ZIP code."
            }
        case .window:
            if answers.window == nil { errors[.windowStart] = "Choose a time window." }
        case .details:
            let details = answers.details ?? .init()
            if audience == .direct, !details.selfPay {
                required(.payer, details.payer, "Enter the insurance company, or choose self-pay.")
                required(
                    .memberID, details.memberID, "Enter the member ID from the insurance card, or choose self-pay.")
            } else if !details.selfPay, !details.payer.isEmpty {
                required(.memberID, details.memberID, "Enter the member ID from the insurance card.")
            }
            if audience == .direct {
                required(.callbackPhone, details.callback.phone, "Enter a phone number where we can reach you.")
            }
            phone(.callbackPhone, details.callback.phone)
            if !details.powerOfAttorney.name.isEmpty {
                required(.poaPhone, details.powerOfAttorney.phone, "Enter a phone number for the power of attorney.")
            }
            phone(.poaPhone, details.powerOfAttorney.phone)
        case .review:
            break
        }
        return errors
    }

    /// The address step's refusal when no market visits the ZIP code.
    package static func notServed(zip: String, supportPhone: String) -> String {
        "We do not visit ZIP code \(zip) yet. Please call us at \(supportPhone); your answers are saved."
    }
}
