import Foundation
import Tagged
import Vocabulary

package enum OutboxDeliveryTag {}
/// One callback to Express in OSS's outbox, as `selfsched outbox` lists and replays it.
package typealias OutboxDeliveryID = Tagged<OutboxDeliveryTag, UUID>

extension OutboxModel {
    /// The delivery's id once the row is saved.
    var deliveryID: OutboxDeliveryID? { id.map(OutboxDeliveryID.init(rawValue:)) }
}
