import ConsoleDomain
import Foundation
import Platform
import StationAPI
import Vocabulary

/// One row of the triage queue (`triage-row.leaf`, also its live fragment).
struct TriageRow: Encodable {
    var id: String
    var patientName: String
    var waited: String
    var waitingSince: String
    var market: String
    var requester: String
    var reasonCodes: String
    /// "held by Nia Nurse for 3 more minutes", or nil.
    var claim: String?
    var claimedByYou: Bool
    /// Still waiting for a nurse (a live refresh may find it handled).
    var pending: Bool
    var status: String
    var statusKey: String

    init(
        _ request: Components.Schemas.CareRequest, partnerName: String?, waitingSince: Date, claim: TriageClaim?,
        viewer: String, now: Date
    ) {
        id = request.id
        patientName = Self.name(request.patient)
        waited = WaitingTime.wording(since: waitingSince, now: now)
        self.waitingSince = DateText.string(waitingSince, "MMM d 'at' h:mm a zzz", zone: .gmt)
        market = request.market.name
        requester = partnerName ?? (request.partnerId == nil ? "Patient (self)" : "Partner")
        reasonCodes = request.screening.reasonCodes.joined(separator: ", ")
        self.claim = claim?.wording(at: now)
        claimedByYou = claim?.isHeld(by: viewer, at: now) ?? false
        pending = request.status == .pendingTriage
        status = TriageWording.status(request.status.rawValue)
        statusKey = request.status.rawValue
    }

    static func name(_ patient: Components.Schemas.Patient) -> String {
        "\(patient.givenName) \(patient.familyName)"
    }
}

/// The queue page (`triage-queue.leaf`).
struct TriageQueuePage: Encodable {
    var rows: [TriageRow]
}

/// Words the triage pages share.
enum TriageWording {
    /// `on_route` → "On route".
    static func status(_ raw: String) -> String {
        let words = raw.replacingOccurrences(of: "_", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    /// A window as a nurse picks it: "Tue, Dec 1, 8:00 AM–10:00 AM MST".
    static func window(_ start: Date, _ end: Date, zone: TimeZone) -> String {
        let time = { (date: Date) in DateText.string(date, "h:mm a", zone: zone) }
        let day = DateText.string(start, "EEE, MMM d", zone: zone)
        return "\(day), \(time(start))–\(time(end)) \(DateText.string(start, "zzz", zone: zone))"
    }

    static func exact(_ date: Date, zone: TimeZone) -> String {
        DateText.string(date, "MMM d, yyyy 'at' h:mm a zzz", zone: zone)
    }

    /// A phone number as a `tel:` address: its digits, and a leading + when it has one.
    static func telURL(_ phone: String) -> String? {
        let digits = phone.filter(\.isASCII).filter(\.isNumber)
        guard digits.count >= 7 else { return nil }
        return "tel:" + (phone.trimmingCharacters(in: .whitespaces).hasPrefix("+") ? "+" : "") + digits
    }
}
