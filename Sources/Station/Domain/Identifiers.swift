import Foundation
import Tagged

/// Typed identifiers: a patient id can never be passed where a care request id belongs.
package enum PartnerTag {}
package enum PatientTag {}
package enum CareRequestTag {}
package enum MarketTag {}
package enum ServiceLineTag {}

package typealias PartnerID = Tagged<PartnerTag, UUID>
package typealias PatientID = Tagged<PatientTag, UUID>
package typealias CareRequestID = Tagged<CareRequestTag, UUID>
package typealias MarketID = Tagged<MarketTag, UUID>
package typealias ServiceLineID = Tagged<ServiceLineTag, UUID>
