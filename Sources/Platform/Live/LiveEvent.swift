import Foundation
import Vocabulary

/// One change a live page should hear about: which care request changed, under which topic (Express: the
/// partner's id), with the publisher's event id so a reconnecting page resumes after the last one it saw.
/// Ids only: the page fetches what changed itself.
package struct LiveEvent: Sendable, Equatable, Hashable {
    package var id: Int64
    package var topic: String
    package var careRequest: CareRequestID

    package init(id: Int64, topic: String, careRequest: CareRequestID) {
        self.id = id
        self.topic = topic
        self.careRequest = careRequest
    }
}
