import Foundation

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

    /// The form fields this step's page posts.
    package var fields: [Draft.Field] {
        switch self {
        case .patient: [.givenName, .familyName, .dateOfBirth, .sex, .phone]
        case .reason: [.chiefComplaint]
        case .location: [.line1, .line2, .city, .state, .zip]
        case .window: [.window]
        case .details: [.payer, .memberID, .groupNumber, .selfPay, .poaName, .poaPhone, .callbackName, .callbackPhone]
        case .review: []
        }
    }
}

/// Where a return URL may point: only the allow-listed Express origins, never an open redirect.
package enum ReturnURLPolicy {
    package static func isAllowed(_ url: String, origins: [String]) -> Bool {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host,
            ["http", "https"].contains(scheme), components.user == nil
        else { return false }
        let origin = "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
        return origins.contains(origin)
    }
}

/// Dates as the forms and pages write them, in US English (Foundation only: the domain knows no Platform).
enum CalendarText {
    static func string(_ date: Date, _ pattern: String, zone: TimeZone) -> String {
        formatter(pattern, zone: zone, locale: "en_US").string(from: date)
    }

    /// The day `text` names as `yyyy-MM-dd`, nil unless it is exactly such a day.
    static func day(_ text: String) -> Date? {
        guard text.count == 10 else { return nil }
        let formatter = formatter("yyyy-MM-dd", zone: TimeZone(identifier: "UTC")!, locale: "en_US_POSIX")
        guard let date = formatter.date(from: text), formatter.string(from: date) == text else { return nil }
        return date
    }

    private static func formatter(_ pattern: String, zone: TimeZone, locale: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: locale)
        formatter.timeZone = zone
        formatter.dateFormat = pattern
        return formatter
    }
}
