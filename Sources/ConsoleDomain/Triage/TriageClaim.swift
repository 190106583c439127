import Foundation
import Vocabulary

/// A nurse's "I'm calling" on a triage request: for a few minutes no other nurse phones the same patient.
///
/// One holder at a time; the holder may renew or release it; once expired it is free for anyone, without anybody
/// having to clean it up.
package struct TriageClaim: Sendable, Equatable {
    /// The nurse who holds a claim, as the staff tenant names them.
    package struct Holder: Sendable, Equatable {
        /// The staff tenant's subject.
        package var id: String
        package var name: String

        package init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    /// Why a claim was not taken or released.
    package enum Refusal: Error, Sendable, Equatable {
        /// Someone else holds a live claim on the request.
        case heldByOther(TriageClaim)
        /// Release asked by someone who does not hold a live claim.
        case notHolder
    }

    /// How long a claim lasts from the moment it is taken or renewed.
    package static let duration: TimeInterval = 5 * 60

    package var careRequest: CareRequestID
    package var holder: Holder
    package var expiresAt: Date

    package init(careRequest: CareRequestID, holder: Holder, expiresAt: Date) {
        self.careRequest = careRequest
        self.holder = holder
        self.expiresAt = expiresAt
    }

    package func isLive(at now: Date) -> Bool { now < expiresAt }

    /// Whether `person` holds this claim and it has not expired.
    package func isHeld(by person: String, at now: Date) -> Bool { isLive(at: now) && holder.id == person }

    /// Claims (or renews) `careRequest` for `holder`, given the claim stored for it, if any.
    package static func take(
        _ careRequest: CareRequestID, by holder: Holder, existing: TriageClaim?, now: Date
    ) throws(Refusal) -> TriageClaim {
        if let existing, existing.isLive(at: now), existing.holder.id != holder.id {
            throw .heldByOther(existing)
        }
        return TriageClaim(careRequest: careRequest, holder: holder, expiresAt: now.addingTimeInterval(duration))
    }

    /// Checks that `person` may release the claim: only its holder, while it is live.
    package func checkRelease(by person: String, now: Date) throws(Refusal) {
        guard isHeld(by: person, at: now) else { throw .notHolder }
    }

    /// Whether `person` may record an outcome on a request with this claim (or none): the holder, or anyone
    /// while nobody holds a live claim.
    package static func mayRecordOutcome(_ claim: TriageClaim?, by person: String, now: Date) -> Bool {
        guard let claim, claim.isLive(at: now) else { return true }
        return claim.holder.id == person
    }

    /// Whole minutes left, rounded up, so a claim with 4 min 10 s left reads "5 more minutes".
    package func minutesLeft(at now: Date) -> Int {
        max(0, Int((expiresAt.timeIntervalSince(now) / 60).rounded(.up)))
    }

    /// "held by Nia Nurse for 3 more minutes"; nil once expired.
    package func wording(at now: Date) -> String? {
        guard isLive(at: now) else { return nil }
        let minutes = minutesLeft(at: now)
        return "held by \(holder.name) for \(minutes) more \(minutes == 1 ? "minute" : "minutes")"
    }
}
