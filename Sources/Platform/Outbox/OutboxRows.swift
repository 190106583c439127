import Foundation
import SQLKit

extension OutboxMessage {
    init(row: any SQLRow) throws {
        self.init(
            id: try row.decode(column: "id", as: UUID.self),
            destination: try row.decode(column: "destination", as: String.self),
            messageID: try row.decode(column: "message_id", as: String.self),
            orderingKey: try row.decode(column: "ordering_key", as: String?.self),
            payload: try row.decode(column: "payload", as: Data.self),
            attempts: try row.decode(column: "attempts", as: Int.self),
            createdAt: try row.decode(column: "created_at", as: Date.self))
    }
}

extension OutboxMessageState {
    init(row: any SQLRow) throws {
        let message = try OutboxMessage(row: row)
        self.init(
            id: message.id, destination: message.destination, messageID: message.messageID,
            orderingKey: message.orderingKey, payload: message.payload, attempts: message.attempts,
            createdAt: message.createdAt,
            deliveredAt: try row.decode(column: "delivered_at", as: Date?.self),
            failedAt: try row.decode(column: "failed_at", as: Date?.self),
            nextAttemptAt: try row.decode(column: "next_attempt_at", as: Date?.self),
            lastError: try row.decode(column: "last_error", as: String?.self))
    }

    /// The message as a route receives it.
    package var message: OutboxMessage {
        OutboxMessage(
            id: id, destination: destination, messageID: messageID, orderingKey: orderingKey, payload: payload,
            attempts: attempts, createdAt: createdAt)
    }
}

extension OutboxAttempt {
    init(row: any SQLRow) throws {
        self.init(
            message: try row.decode(column: "message", as: UUID.self),
            messageID: try row.decode(column: "message_id", as: String.self),
            destination: try row.decode(column: "destination", as: String.self),
            at: try row.decode(column: "at", as: Date.self),
            statusCode: try row.decode(column: "status_code", as: Int?.self),
            latency: .milliseconds(try row.decode(column: "latency_ms", as: Int.self)),
            error: try row.decode(column: "error", as: String?.self),
            nextAttemptAt: try row.decode(column: "next_attempt_at", as: Date?.self))
    }
}
