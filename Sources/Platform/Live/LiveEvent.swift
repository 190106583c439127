import Foundation
import Vocabulary

/// One change a live page should hear about: which care request changed, under which topic (Express: the
/// partner's id), with the publisher's event id so a reconnecting page resumes after the last one it saw.
/// Ids only: the page fetches what changed itself. `created` says the item is new (a list may add it), which a
/// page cannot tell from an id it has not shown.
package struct LiveEvent: Sendable, Equatable, Hashable {
    package var id: Int64
    package var topic: String
    package var careRequest: CareRequestID
    package var created: Bool

    package init(id: Int64, topic: String, careRequest: CareRequestID, created: Bool = false) {
        self.id = id
        self.topic = topic
        self.careRequest = careRequest
        self.created = created
    }

    /// An event of the receiving service itself (a negative id), outside the publisher's sequence: it is streamed
    /// without an `id:`, so a page's `Last-Event-ID` stays at the last publisher event, and is not replayed.
    package var isLocal: Bool { id < 0 }
}
