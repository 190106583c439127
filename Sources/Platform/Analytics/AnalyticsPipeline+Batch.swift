import Analytics
import Foundation

/// A message waiting in a destination's queue, already encoded (the encoded size decides the batches).
struct QueuedAnalyticsMessage: Sendable {
    /// The pipeline's running number for the message: a flush delivers everything up to a number.
    var sequence: Int
    var json: Data
}

/// Messages that leave together, in the order they were sent.
struct AnalyticsBatch: Sendable {
    /// Segment's limits (as its own libraries apply them): 32 KB a message, about 500 KB a batch request, with
    /// room left for the envelope.
    static let messageLimit = 32 * 1024
    static let byteLimit = 475_000

    var messages: [Data]

    var count: Int { messages.count }

    /// The HTTP tracking API's body: `{"batch":[…],"sentAt":"…"}`.
    func collectorBody(sentAt: Date) -> Data {
        struct Stamp: Encodable { var sentAt: Date }
        var body = Data(#"{"batch":["#.utf8)
        for (index, message) in messages.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body.append(message)
        }
        body.append(contentsOf: Array("],".utf8))
        // The encoder writes `{"sentAt":"…"}` with the messages' time format; its tail closes the body.
        let stamp = (try? AnalyticsMessage.makeEncoder().encode(Stamp(sentAt: sentAt))) ?? Data("{}".utf8)
        body.append(stamp.dropFirst())
        return body
    }

    /// JSON lines: one message a line.
    var lines: Data {
        var lines = Data()
        for message in messages {
            lines.append(message)
            lines.append(UInt8(ascii: "\n"))
        }
        return lines
    }
}

/// One destination's waiting messages, in order.
struct AnalyticsQueue: Sendable {
    private(set) var messages: [QueuedAnalyticsMessage] = []
    private(set) var bytes = 0

    var count: Int { messages.count }

    mutating func append(_ message: QueuedAnalyticsMessage) {
        messages.append(message)
        bytes += message.json.count + 1
    }

    /// Whether a whole batch waits: `size` messages or the byte limit.
    func hasFullBatch(size: Int) -> Bool { messages.count >= size || bytes >= AnalyticsBatch.byteLimit }

    /// Whether a message numbered `sequence` or lower waits.
    func holds(through sequence: Int) -> Bool { messages.first.map { $0.sequence <= sequence } ?? false }

    /// Takes the oldest messages, at most `size` and within the byte limit (at least one).
    mutating func takeBatch(size: Int) -> AnalyticsBatch {
        var taken = 0
        var takenBytes = 0
        for message in messages {
            let next = message.json.count + 1
            guard taken < size, taken == 0 || takenBytes + next <= AnalyticsBatch.byteLimit else { break }
            taken += 1
            takenBytes += next
        }
        let batch = AnalyticsBatch(messages: messages.prefix(taken).map(\.json))
        messages.removeFirst(taken)
        bytes -= takenBytes
        return batch
    }
}
