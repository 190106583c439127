import Foundation
import OSSDomain
import Platform
import Vocabulary

/// What a browser session holds for changing care requests: for a partner user, the grant a redeemed change
/// handoff gave (by the handoff's id, never the handle); for anyone, the change being chosen, between the pages.
/// Kept server-side with the session, so nothing of it (a note, an address) rides in a URL.
enum ChangeGrant {
    static func give(_ session: WebSession, careRequest: CareRequestID, handoff: HandoffID) {
        session["change_grant.\(careRequest.wire)"] = handoff.rawValue
    }

    /// The handoff whose redemption granted this session the change of `careRequest`, if one did.
    static func handoff(_ session: WebSession, careRequest: CareRequestID) -> HandoffID? {
        session["change_grant.\(careRequest.wire)"].map(HandoffID.init(rawValue:))
    }

    /// The change of `careRequest` being chosen, nil when none (or an unreadable one).
    static func pending<Change: Codable>(_ type: Change.Type, _ session: WebSession, careRequest: CareRequestID)
        -> Change?
    {
        guard let text = session[key(type, careRequest)] else { return nil }
        return try? JSONDecoder().decode(type, from: Data(text.utf8))
    }

    static func keep<Change: Codable>(_ change: Change?, _ session: WebSession, careRequest: CareRequestID) {
        session[key(Change.self, careRequest)] =
            change.flatMap { try? JSONEncoder().encode($0) }.map { String(decoding: $0, as: UTF8.self) }
    }

    private static func key<Change>(_ type: Change.Type, _ careRequest: CareRequestID) -> String {
        "change_\(type == RequestChange.Cancel.self ? "cancel" : "reschedule").\(careRequest.wire)"
    }
}
