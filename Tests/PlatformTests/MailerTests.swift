import Foundation
import Testing

@testable import Platform

@Suite("Mail through the outbox")
struct MailerTests {
    static let message = MailMessage(
        from: MailAddress(address: "no-reply@example.org"), to: [MailAddress(address: "ana@example.org")],
        subject: "Status changed", text: "t", html: "<p>h</p>", messageID: "n-1@example.org")

    /// A transport that records what it was given, or fails as a server would.
    final class RecordingTransport: MailTransport, @unchecked Sendable {
        private let lock = NSLock()
        private var sentMessages: [MailMessage] = []
        let failure: SMTPError?

        init(failing failure: SMTPError? = nil) { self.failure = failure }

        var sent: [MailMessage] { lock.withLock { sentMessages } }

        func send(_ message: MailMessage) async throws {
            if let failure { throw failure }
            lock.withLock { sentMessages.append(message) }
        }
    }

    @Test("a message queued in a transaction is sent once by the worker, dated when it was queued")
    func queuedAndSent() async throws {
        try await OutboxHarness.with { harness in
            let queuedAt = harness.clock.now
            try await harness.database.write { db in
                try await Mailer.enqueue(Self.message, at: queuedAt, on: db)
                try await Mailer.enqueue(Self.message, at: queuedAt, on: db)
            }
            harness.clock.advance(90)
            let transport = RecordingTransport()
            let worker = harness.worker(routes: [Mailer.route(transport)])
            let delivered = try await worker.deliverDue()
            #expect(delivered == 1)
            let sent = try #require(transport.sent.first)
            #expect(transport.sent.count == 1 && sent.messageID == Self.message.messageID)
            #expect(abs(try #require(sent.date).timeIntervalSince(queuedAt)) < 0.01)
            let state = try await harness.state("n-1@example.org", to: Mailer.destination)
            #expect(state?.status == .delivered)
        }
    }

    @Test("a message that cannot be rendered is refused in the caller's transaction; nothing is queued")
    func refusedAtEnqueue() async throws {
        try await OutboxHarness.with { harness in
            let bad = MailMessage(
                from: Self.message.from, to: Self.message.to, subject: "s", text: "t", html: "h",
                headers: ["List-Unsubscribe": "<https://x>\r\nBcc: evil@example.com"])
            await #expect(throws: MailMessageError.self) {
                try await harness.database.write { db in try await Mailer.enqueue(bad, on: db) }
            }
            let queued = try await harness.log.messages(destination: Mailer.destination, limit: 10)
            #expect(queued.isEmpty)
        }
    }

    @Test("an SMTP refusal is a failed attempt the delivery log names, and the message stays due for a retry")
    func failureRecorded() async throws {
        try await OutboxHarness.with { harness in
            try await harness.database.write { db in
                try await Mailer.enqueue(Self.message, at: harness.clock.now, on: db)
            }
            let refusal = SMTPError.rejected(step: "RCPT TO", reply: SMTPReply(code: 550, lines: ["no such user"]))
            let worker = harness.worker(routes: [Mailer.route(RecordingTransport(failing: refusal))])
            let delivered = try await worker.deliverDue()
            #expect(delivered == 0)
            let found = try await harness.state("n-1@example.org", to: Mailer.destination)
            let state = try #require(found)
            #expect(state.status == .pending && state.nextAttemptAt != nil)
            #expect(state.lastError == "SMTP permanent failure at RCPT TO: 550 no such user")
        }
    }
}
