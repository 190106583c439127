import Fluent
import Vocabulary

extension ExpressService {
    /// Queues one delivery of `event` to each of its partner's enabled webhook endpoints that chose its type.
    func queueWebhookDeliveries(for event: CareRequestEvent, on db: any Database) async throws {}
}
