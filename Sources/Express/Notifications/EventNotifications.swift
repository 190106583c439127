import Fluent
import Vocabulary

extension ExpressService {
    /// Queues the emails partner users asked for about `event` (their notification preference).
    func queueNotifications(for event: CareRequestEvent, on db: any Database) async throws {}
}
