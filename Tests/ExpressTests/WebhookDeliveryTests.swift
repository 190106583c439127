import ExpressDomain
import Fluent
import Foundation
import Platform
import TestSupport
import Testing
import Vapor
import Vocabulary

@testable import Express

@Suite("Webhook fan-out and delivery")
struct WebhookDeliveryTests {
    typealias Harness = ExpressHarness

    @Test("an event is queued once for each enabled endpoint of its partner that chose its type, and no other")
    func fanOut() async throws {
        try await Harness.with(station: .none) { express in
            let changes = try await express.registerWebhook(types: ["care_request.status_changed"])
            let created = try await express.registerWebhook(types: ["care_request.created"])
            let both = try await express.registerWebhook(types: ["care_request.created", "care_request.status_changed"])
            let disabled = try await express.registerWebhook(types: ["care_request.status_changed"])
            let admin = try await express.apiToken("admin@sunrise.example")
            _ = try await express.api(
                .PATCH, "/webhook-endpoints/\(disabled.id)", token: admin, body: #"{"enabled":false}"#)
            let mercy = try await express.registerWebhook("admin@mercy.example", types: ["care_request.status_changed"])

            let careRequest = CareRequestID.random()
            let event = express.event(.statusChanged, id: 42, careRequest: careRequest)
            try await express.stationPushes(event)
            try await express.stationPushes(event) // Station's push repeated: the outbox keeps one per endpoint
            try await express.stationPushes(express.event(.statusChanged, id: 43, partner: nil)) // a patient's own

            for endpoint in [changes, both] {
                let queued = try await express.outbox("webhook:\(endpoint.id)")
                #expect(queued.count == 1)
                let message = try #require(queued.first)
                #expect(message.messageID == "evt_42" && message.orderingKey == careRequest.wire)
                let envelope = try CareRequestEvent.decoder.decode(CareRequestEventEnvelope.self, from: message.payload)
                #expect(envelope.type == .statusChanged && envelope.data.id == 42)
                #expect(envelope.data.careRequest == careRequest && envelope.data.partner == DemoPartners.sunrise)
            }
            for endpoint in [created, disabled, mercy] {
                #expect(try await express.outbox("webhook:\(endpoint.id)").isEmpty)
            }
        }
    }

    @Test("a delivery is signed per Standard Webhooks; after a rotation by both secrets for 24 hours")
    func signing() async throws {
        try await Harness.with(station: .none) { express in
            let clock = TestClock(Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
            let receiver = RecordingReceiver()
            let sender = WebhookSender(service: express.service, transport: receiver, now: { clock.now })
            let made = try await express.registerWebhook()
            try await express.stationPushes(express.event(id: 7))
            let message = try #require(try await express.outbox("webhook:\(made.id)").first)
            let outgoing = message.outgoing

            #expect(try await sender.deliver(outgoing) == 204)
            let first = try #require(receiver.posts.last)
            #expect(first.url == "http://127.0.0.1:9/hook" && first.body == message.payload)
            #expect(first.headers["webhook-id"] == "evt_7")
            try verify(first, secret: made.secret, at: clock.now)

            let admin = try await express.apiToken("admin@sunrise.example")
            let rotated = try await express.api(.POST, "/webhook-endpoints/\(made.id)/rotate-secret", token: admin)
            let newSecret = try express.secret(in: rotated)
            _ = try await sender.deliver(outgoing)
            let during = try #require(receiver.posts.last)
            #expect(during.headers["webhook-signature"]?.split(separator: " ").count == 2)
            try verify(during, secret: newSecret, at: clock.now)
            try verify(during, secret: made.secret, at: clock.now)

            clock.advance(24 * 3600 + 300) // the rotation happened (in real time) just after the clock started
            _ = try await sender.deliver(outgoing)
            let after = try #require(receiver.posts.last)
            #expect(after.headers["webhook-signature"]?.split(separator: " ").count == 1)
            try verify(after, secret: newSecret, at: clock.now)
            #expect(throws: WebhookSignature.Refusal.badSignature) {
                try verify(after, secret: made.secret, at: clock.now)
            }
        }
    }

    func verify(_ post: RecordingReceiver.Post, secret: String, at now: Date) throws {
        try WebhookSignature(secret: secret).verify(
            id: post.headers["webhook-id"] ?? "", timestamp: post.headers["webhook-timestamp"] ?? "",
            signatures: post.headers["webhook-signature"] ?? "", body: post.body, now: now)
    }

    @Test("an endpoint failing for 72 hours without a success is disabled, audited, and its admins are emailed")
    func disableAfterThreeDays() async throws {
        try await Harness.with(station: .none) { express in
            let clock = TestClock(Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
            let receiver = RecordingReceiver()
            receiver.answer(500)
            let sender = WebhookSender(service: express.service, transport: receiver, now: { clock.now })
            let made = try await express.registerWebhook()
            try await express.stationPushes(express.event(id: 9))
            let state = try #require(try await express.outbox("webhook:\(made.id)").first)
            let message = state.outgoing
            func endpoint() async throws -> WebhookEndpoint {
                try #require(try await WebhookEndpointModel.find(UUID(uuidString: made.id), on: express.app.db))
                    .endpoint
            }

            await #expect(throws: OutboxDeliveryError.self) { _ = try await sender.deliver(message) }
            #expect(try await endpoint().health.failingSince == clock.now)
            clock.advance(71 * 3600)
            await #expect(throws: OutboxDeliveryError.self) { _ = try await sender.deliver(message) }
            #expect(try await endpoint().enabled)
            #expect(try await express.outbox("mail").isEmpty)

            clock.advance(3600)
            await #expect(throws: OutboxDeliveryError.self) { _ = try await sender.deliver(message) }
            let disabled = try await endpoint()
            #expect(!disabled.enabled && disabled.disabledReason?.contains("72 hours") == true)
            #expect(try await express.audit("webhooks.disabled").count == 1)
            let mails = try await express.outbox("mail")
            let mail = try JSONDecoder().decode(MailMessage.self, from: try #require(mails.first).payload)
            #expect(mails.count == 1 && mail.to.map(\.address) == ["admin@sunrise.example"])
            #expect(mail.text.contains("/webhooks/\(made.id)"))

            // Disabled: nothing more is sent until an admin enables it again, which starts a fresh count.
            let posts = receiver.posts.count
            await #expect(throws: OutboxDeliveryError.self) { _ = try await sender.deliver(message) }
            #expect(receiver.posts.count == posts)
            let admin = try await express.apiToken("admin@sunrise.example")
            _ = try await express.api(.PATCH, "/webhook-endpoints/\(made.id)", token: admin, body: #"{"enabled":true}"#)
            receiver.answer(200)
            #expect(try await sender.deliver(message) == 200)
            #expect(try await endpoint().health.failingSince == nil)
        }
    }

    @Test("a success within the 72 hours starts the count again")
    func successResets() async throws {
        try await Harness.with(station: .none) { express in
            let clock = TestClock(Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
            let receiver = RecordingReceiver()
            let sender = WebhookSender(service: express.service, transport: receiver, now: { clock.now })
            let made = try await express.registerWebhook()
            try await express.stationPushes(express.event(id: 10))
            let state = try #require(try await express.outbox("webhook:\(made.id)").first)
            let message = state.outgoing
            receiver.answer(503)
            _ = try? await sender.deliver(message)
            clock.advance(70 * 3600)
            receiver.answer(200)
            _ = try await sender.deliver(message)
            receiver.answer(503)
            clock.advance(70 * 3600)
            _ = try? await sender.deliver(message)
            clock.advance(3 * 3600)
            _ = try? await sender.deliver(message)
            let row = try #require(try await WebhookEndpointModel.find(UUID(uuidString: made.id), on: express.app.db))
            #expect(row.enabled)
        }
    }

    @Test("in production each delivery checks the addresses the host resolves to now (DNS rebinding)")
    func rebinding() async throws {
        try await Harness.with(station: .none) { express in
            let receiver = RecordingReceiver()
            let made = try await express.registerWebhook()
            // Registered while the name was public; the database now says where production would send it.
            let row = try #require(try await WebhookEndpointModel.find(UUID(uuidString: made.id), on: express.app.db))
            row.url = "https://hooks.example.com/in"
            try await row.save(on: express.app.db)
            try await express.stationPushes(express.event(id: 11))
            let state = try #require(try await express.outbox("webhook:\(made.id)").first)
            let message = state.outgoing
            var sender = WebhookSender(
                service: express.service, transport: receiver,
                resolver: FixedResolver(answers: ["hooks.example.com": ["93.184.216.34", "::ffff:169.254.169.254"]]))
            sender.policy = WebhookURLPolicy(production: true)
            await #expect(throws: OutboxDeliveryError.self) { _ = try await sender.deliver(message) }
            #expect(receiver.posts.isEmpty)
            sender.resolver = FixedResolver(answers: ["hooks.example.com": ["93.184.216.34"]])
            #expect(try await sender.deliver(message) == 204)
            #expect(receiver.posts.count == 1)
            #expect(receiver.posts.first?.address == "93.184.216.34") // connects to the address it checked
        }
    }

    @Test("the live transport connects to the pinned address while the URL keeps its host name")
    func pinnedAddress() async throws {
        try await Harness.with(station: .none) { express in
            try await express.withReceiver(status: .accepted) { url in
                let port = try #require(URLComponents(string: url)?.port)
                let status = try await HTTPWebhookTransport().post(
                    url: "http://partner-hooks.invalid:\(port)/hook", address: "127.0.0.1", headers: [],
                    body: Data("{}".utf8),
                    timeout: .seconds(5))
                #expect(status == 202)
            }
        }
    }

    @Test("the delivery log lists every attempt, and a replay sends the same webhook-id again")
    func logAndReplay() async throws {
        try await Harness.with(station: .none) { express in
            try await express.withReceiver(status: .internalServerError) { url in
                let made = try await express.registerWebhook(url: url)
                try await express.stationPushes(express.event(id: 12))
                let admin = try await express.apiToken("admin@sunrise.example")
                try await ExpressApp.deliverOutbox(express.app)
                let log = try await express.api(.GET, "/webhook-endpoints/\(made.id)/deliveries", token: admin)
                #expect(log.status == .ok)
                #expect(log.text.contains("\"webhook_id\":\"evt_12\"") && log.text.contains("\"status_code\":500"))
                #expect(log.text.contains("\"latency_ms\":") && log.text.contains("\"next_retry_at\":"))
                let delivery = try #require(try await express.outbox("webhook:\(made.id)").first)
                let replay = try await express.api(
                    .POST, "/webhook-endpoints/\(made.id)/deliveries/\(delivery.id.uuidString)/replay", token: admin)
                #expect(replay.status == .accepted)
                #expect(try await express.audit("api.webhooks.replay").count == 1)
                try await ExpressApp.deliverOutbox(express.app)
                let attempts = try await OutboxLog(database: express.service.database).attempts(message: delivery.id)
                #expect(attempts.count == 2 && attempts.allSatisfy { $0.messageID == "evt_12" })

                let other = try await express.registerWebhook("admin@mercy.example")
                let mercy = try await express.apiToken("admin@mercy.example")
                let foreign = try await express.api(
                    .POST, "/webhook-endpoints/\(other.id)/deliveries/\(delivery.id.uuidString)/replay", token: mercy)
                #expect(foreign.status == .notFound)
            }
        }
    }
}
