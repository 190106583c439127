import Foundation
import Platform
import Vocabulary

/// How the patients' app words one of their care requests: its status, and its visit window in its market's zone.
enum RequestWording {
    static func status(_ status: CareRequestStatus) -> String {
        switch status {
        case .pendingTriage: "A nurse will call you"
        case .requested: "Requested"
        case .accepted: "Accepted"
        case .scheduled: "Scheduled"
        case .onRoute: "On the way"
        case .onScene: "With you"
        case .complete: "Complete"
        // Whoever closed it, the visit will not happen: for the patient it is cancelled (as their emails say).
        case .archived: "Cancelled"
        }
    }

    /// "Tuesday, December 1, 9:00 AM – 11:00 AM MST" (`long`), or "Tue, Dec 1, 9:00 AM – 11:00 AM MST".
    static func window(_ window: VisitWindow, zone: TimeZone, long: Bool = true) -> String {
        let day = long ? "EEEE, MMMM d, h:mm a" : "EEE, MMM d, h:mm a"
        return
            "\(DateText.string(window.start, day, zone: zone)) – \(DateText.string(window.end, "h:mm a zzz", zone: zone))"
    }
}

/// What a patient may still do with one of their requests from the app: change its time (when it has one) and
/// cancel it, both only until the care team is on the way. The links lead to the change pages.
struct PatientRequestChoices: Encodable {
    var changeURL: String?
    var cancelURL: String?
    /// Whether there is any choice to show.
    var any: Bool

    init(_ id: CareRequestID, changeable: Bool, hasWindow: Bool, app: FlowApp) {
        changeURL = changeable && hasWindow ? app.path("/requests/\(id.wire)/reschedule") : nil
        cancelURL = changeable ? app.path("/requests/\(id.wire)/cancel") : nil
        any = changeable
    }
}

extension DirectController {
    /// Each market's time zone by market id, from Station; empty if Station cannot say.
    static func marketTimeZones(_ service: OSSService) async -> [MarketID: TimeZone] {
        guard let markets = try? await service.downstream.station.markets() else { return [:] }
        return Dictionary(
            markets.compactMap { m in TimeZone(identifier: m.timeZone).map { (m.id, $0) } },
            uniquingKeysWith: { a, _ in a })
    }

    /// Used only when Station's market list is unavailable: the zone of most of our markets.
    static let fallbackZone = TimeZone(identifier: "America/Denver")!
}
