import Foundation
import Platform

/// Who is scheduling: a partner user (more permissive) or the patient themselves.
package enum Audience: String, Codable, Sendable {
    case partner
    case direct
}

/// The onboarding steps, in order; the time window is skipped when a nurse must call first.
package enum Step: String, CaseIterable, Codable, Sendable {
    case patient, reason, location, window, details, review

    package var title: String {
        switch self {
        case .patient: "Patient"
        case .reason: "Reason for the visit"
        case .location: "Visit address"
        case .window: "Time window"
        case .details: "Insurance and contacts"
        case .review: "Review and submit"
        }
    }

    package static func sequence(needsNurse: Bool) -> [Step] {
        needsNurse ? allCases.filter { $0 != .window } : allCases
    }
}

/// A draft's answers: plain text fields, saved at every step so nothing typed is lost.
package struct DraftAnswers: Codable, Sendable, Equatable {
    package var fields: [String: String] = [:]

    package init(fields: [String: String] = [:]) { self.fields = fields }

    package subscript(_ key: String) -> String {
        get { fields[key] ?? "" }
        set { fields[key] = newValue.trimmingCharacters(in: .whitespacesAndNewlines) }
    }
}

/// Field rules per step and audience; each returns every bad field with a message for the person.
package enum StepRules {
    package static func validate(_ step: Step, _ a: DraftAnswers, audience: Audience, today: Date = Date()) -> [String: String] {
        var errors: [String: String] = [:]
        func required(_ key: String, _ message: String) { if a[key].isEmpty { errors[key] = message } }
        func phone(_ key: String) {
            let digits = a[key].filter(\.isNumber)
            if !a[key].isEmpty, !(10...15).contains(digits.count) || a[key].contains(where: \.isLetter) {
                errors[key] = "Enter a phone number with area code, such as (303) 555-0100."
            }
        }
        switch step {
        case .patient:
            if a["patient_id"].isEmpty {
                required("given_name", "Enter the patient's first name.")
                required("family_name", "Enter the patient's last name.")
                if let date = isoDate(a["date_of_birth"]) {
                    if date > today { errors["date_of_birth"] = "The date of birth cannot be in the future." }
                } else {
                    errors["date_of_birth"] = "Enter the date of birth as YYYY-MM-DD."
                }
                if !["female", "male", "other", "unknown"].contains(a["sex"]) { errors["sex"] = "Choose one." }
                required("phone", "Enter a phone number for the patient.")
                phone("phone")
            }
        case .reason:
            required("chief_complaint", "Tell us, in a few words, why the patient needs a visit.")
            if a["chief_complaint"].count > 1000 { errors["chief_complaint"] = "Use at most 1,000 characters." }
        case .location:
            required("line1", "Enter the street address.")
            required("city", "Enter the city.")
            if a["state"].count != 2 || !a["state"].allSatisfy(\.isLetter) { errors["state"] = "Enter the two-letter state, such as CO." }
            if a["zip"].count != 5 || !a["zip"].allSatisfy(\.isNumber) { errors["zip"] = "Enter the 5-digit ZIP code." }
        case .window:
            required("window_start", "Choose a time window.")
        case .details:
            let selfPay = a["self_pay"] == "on"
            if audience == .direct, !selfPay {
                required("payer", "Enter the insurance company, or choose self-pay.")
                required("member_id", "Enter the member ID from the insurance card, or choose self-pay.")
            } else if !selfPay, !a["payer"].isEmpty {
                required("member_id", "Enter the member ID from the insurance card.")
            }
            if audience == .direct { required("callback_phone", "Enter a phone number where we can reach you.") }
            phone("callback_phone")
            if !a["poa_name"].isEmpty { required("poa_phone", "Enter a phone number for the power of attorney.") }
            phone("poa_phone")
        case .review:
            break
        }
        return errors
    }

    static func isoDate(_ text: String) -> Date? {
        guard text.count == 10 else { return nil }
        return DateText.date(text, "yyyy-MM-dd", zone: TimeZone(identifier: "UTC")!)
    }
}

/// Where a return URL may point: only the allow-listed Express origins, never an open redirect.
package enum ReturnURLPolicy {
    package static func isAllowed(_ url: String, origins: [String]) -> Bool {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host,
              ["http", "https"].contains(scheme), components.user == nil else { return false }
        let origin = "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
        return origins.contains(origin)
    }
}
