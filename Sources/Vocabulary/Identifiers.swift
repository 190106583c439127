import Foundation
import Tagged

// Typed identifiers for what crosses service boundaries: a patient id can never be passed where a care request id
// belongs. Domain types name them as their own `ID` (`CareRequest.ID`, `Draft.ID`); the wire carries the lowercase
// UUID text, read and written only at the API edges through `init?(wire:)` and `wire`.

package enum PartnerTag {}
package enum UserTag {}
package enum PatientTag {}
package enum CareRequestTag {}
package enum MarketTag {}
package enum ServiceLineTag {}
package enum DraftTag {}
package enum HandoffTag {}
package enum CareTeamTag {}

/// A partner organisation (a senior-living facility, a health system, a clinic).
package typealias PartnerID = Tagged<PartnerTag, UUID>
/// A partner user of Express.
package typealias UserID = Tagged<UserTag, UUID>
/// A patient's record in Station.
package typealias PatientID = Tagged<PatientTag, UUID>
/// A care request in Station, the system of record.
package typealias CareRequestID = Tagged<CareRequestTag, UUID>
package typealias MarketID = Tagged<MarketTag, UUID>
package typealias ServiceLineID = Tagged<ServiceLineTag, UUID>
/// A market's care team (a vehicle and its clinicians), which the dispatch planner routes.
package typealias CareTeamID = Tagged<CareTeamTag, UUID>
/// An onboarding in progress in OSS.
package typealias DraftID = Tagged<DraftTag, UUID>
/// A handoff from Express to OSS, named by the SHA-256 of its one-time handle (the handle itself is never kept).
package typealias HandoffID = Tagged<HandoffTag, String>

extension Tagged where RawValue == UUID {
    /// The id from its wire text (any case); nil when the text is not a UUID.
    package init?(wire text: String) {
        guard let uuid = UUID(text: text) else { return nil }
        self.init(rawValue: uuid)
    }

    /// The id as it travels: lowercase UUID text.
    package var wire: String { rawValue.lowercasedText }

    /// A new random id.
    package static func random() -> Self { Self(rawValue: UUID()) }
}
