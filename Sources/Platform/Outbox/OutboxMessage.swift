import Foundation

/// A message in the outbox as the worker hands it to its ``OutboxRoute``.
package struct OutboxMessage: Sendable, Equatable {
    package var id: UUID
    /// Where it goes: "express", "oss", "mail", "webhook:<endpoint uuid>", …
    package var destination: String
    /// The receiver's idempotency key (Standard Webhooks' `webhook-id`); unique per destination.
    package var messageID: String
    /// Messages with the same key (within a destination) are delivered strictly in enqueue order.
    package var orderingKey: String?
    package var payload: Data
    /// Attempts made before this one.
    package var attempts: Int
    package var createdAt: Date
    /// The token of the claim under which this worker attempts it; nil when it was not claimed. A failure is
    /// recorded only while the message is still held under this claim.
    package var claimID: UUID?

    package init(
        id: UUID, destination: String, messageID: String, orderingKey: String?, payload: Data, attempts: Int,
        createdAt: Date, claimID: UUID? = nil
    ) {
        self.id = id
        self.destination = destination
        self.messageID = messageID
        self.orderingKey = orderingKey
        self.payload = payload
        self.attempts = attempts
        self.createdAt = createdAt
        self.claimID = claimID
    }
}

/// A message to add to the outbox with ``Outbox/enqueue(_:at:on:)``.
package struct NewOutboxMessage: Sendable, Equatable {
    package var destination: String
    package var messageID: String
    package var orderingKey: String?
    package var payload: Data

    package init(destination: String, messageID: String, orderingKey: String? = nil, payload: Data) {
        self.destination = destination
        self.messageID = messageID
        self.orderingKey = orderingKey
        self.payload = payload
    }
}

/// A failed attempt, thrown by a route; `statusCode` is the HTTP status when there was a response.
package struct OutboxDeliveryError: Error, Sendable, CustomStringConvertible {
    package var statusCode: Int?
    package var description: String

    package init(statusCode: Int? = nil, _ description: String) {
        self.statusCode = statusCode
        self.description = description
    }
}

/// How the messages of one destination are delivered. `destination` is an exact name, or a prefix ending in ":"
/// ("webhook:" delivers "webhook:<id>"). `deliver` returns the HTTP status when there was one: a 2xx (or nil, for
/// a transport without statuses) counts as delivered; another status or a thrown error as a failed attempt.
package struct OutboxRoute: Sendable {
    package var destination: String
    package var deliver: @Sendable (OutboxMessage) async throws -> Int?

    package init(_ destination: String, deliver: @escaping @Sendable (OutboxMessage) async throws -> Int?) {
        self.destination = destination
        self.deliver = deliver
    }

    var isPrefix: Bool { destination.hasSuffix(":") }

    /// Whether this route delivers `destination`.
    func matches(_ destination: String) -> Bool {
        isPrefix ? destination.hasPrefix(self.destination) : destination == self.destination
    }
}

extension [OutboxRoute] {
    /// The route for `destination`: an exact one before a prefix.
    func route(for destination: String) -> OutboxRoute? {
        first { !$0.isPrefix && $0.matches(destination) } ?? first { $0.matches(destination) }
    }
}
