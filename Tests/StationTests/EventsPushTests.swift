import Foundation
import Platform
import StationDomain
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Station

@Suite("Events: pushed to subscribers through the outbox")
struct EventsPushTests {
    @Test(
        "each event is queued once per subscriber, in the change's transaction, as its envelope keyed by care request")
    func queued() async throws {
        try await StationHarness.with { station in
            let patient = try await CreateCareRequestTests.eleanor(station)
            let created = try await station.call(
                .POST, "/v1/care-requests", json: Fixtures.careRequest(patient: patient),
                headers: [("Idempotency-Key", UUID().uuidString)])
            let id = try #require(created.object["id"] as? String)
            #expect(try await station.move(id, #"{"to":"accepted"}"#).status == .ok)
            #expect(try await station.move(id, #"{"to":"complete"}"#).status == .conflict)
            let events = try await station.events()
            #expect(events.count == 2)
            for destination in ["express", "oss"] {
                let messages = try await station.app.outboxLog.messages(destination: destination, limit: 10)
                    .sorted { $0.createdAt < $1.createdAt }
                #expect(messages.map(\.messageID) == events.map { "evt_\($0["id"] as? Int ?? -1)" })
                #expect(messages.allSatisfy { $0.orderingKey == id })
                let envelopes = try messages.map {
                    try CareRequestEvent.decoder.decode(CareRequestEventEnvelope.self, from: $0.payload)
                }
                #expect(envelopes.map(\.data.careRequest.wire) == [id, id])
                #expect(envelopes.map(\.type) == [.created, .statusChanged])
                #expect(envelopes.map(\.data.newStatus) == [.requested, .accepted])
            }
        }
    }

    @Test("a delivery POSTs the envelope signed per Standard Webhooks; a 500 is retried, a 2xx ends it")
    func delivered() async throws {
        let receiver = try await Receiver.start()
        do {
            try await delivered(to: receiver)
        } catch {
            await receiver.stop()
            throw error
        }
        await receiver.stop()
    }

    func delivered(to receiver: Receiver) async throws {
        let secret = "whsec_" + Data((0..<24).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        try await StationHarness.with(adjust: {
            $0.eventSubscribers = [EventSubscriber(name: "test", url: receiver.url)]
            $0.eventsSecret = secret
        }) { station in
            let patient = try await CreateCareRequestTests.eleanor(station)
            let created = try await station.call(
                .POST, "/v1/care-requests", json: Fixtures.careRequest(patient: patient),
                headers: [("Idempotency-Key", UUID().uuidString)])
            let id = try #require(created.object["id"] as? String)

            await receiver.answer(.internalServerError)
            #expect(try await StationApp.deliverOutbox(station.app) == 0)
            let failed = try await station.app.outboxLog.attempts(destination: "test", limit: 10)
            #expect(failed.map(\.statusCode) == [500])
            #expect(failed.first?.nextAttemptAt != nil)

            await receiver.answer(.noContent)
            let message = try #require(try await station.app.outboxLog.messages(destination: "test", limit: 1).first)
            #expect(try await station.app.outboxLog.replay(message.id))
            #expect(try await StationApp.deliverOutbox(station.app) == 1)

            let deliveries = await receiver.deliveries
            #expect(deliveries.count == 2)
            let signature = WebhookSignature(secret: secret)
            for delivery in deliveries {
                #expect(delivery.headers.first(name: "webhook-id") == message.messageID)
                #expect(delivery.headers.first(name: .authorization) == nil)
                #expect(delivery.headers.contentType == .json)
                #expect(throws: Never.self) {
                    try signature.verify(
                        id: delivery.headers.first(name: "webhook-id") ?? "",
                        timestamp: delivery.headers.first(name: "webhook-timestamp") ?? "",
                        signatures: delivery.headers.first(name: "webhook-signature") ?? "",
                        body: delivery.body, now: Date())
                }
                let envelope = try CareRequestEvent.decoder.decode(CareRequestEventEnvelope.self, from: delivery.body)
                #expect(envelope.data.careRequest.wire == id)
                #expect(envelope.messageID == message.messageID)
            }
        }
    }
}

/// A subscriber's endpoint: records every delivery and answers the status it is told to.
actor Receiver {
    struct Delivery: Sendable {
        var headers: HTTPHeaders
        var body: Data
    }

    let app: Application
    let url: URL
    private(set) var deliveries: [Delivery] = []
    private var status: HTTPStatus = .noContent

    private init(app: Application, url: URL) {
        self.app = app
        self.url = url
    }

    static func start() async throws -> Receiver {
        let app = try await Application.make(.testing)
        let box = ReceiverBox()
        app.post("hook") { request async throws -> Response in
            let body = request.body.data.map { Data(buffer: $0) } ?? Data()
            guard let receiver = box.receiver else { return Response(status: .serviceUnavailable) }
            return Response(status: await receiver.record(Delivery(headers: request.headers, body: body)))
        }
        let port = try await startOnAnyPort(app)
        let receiver = Receiver(app: app, url: URL(string: "http://127.0.0.1:\(port)/hook")!)
        box.receiver = receiver
        return receiver
    }

    func answer(_ status: HTTPStatus) { self.status = status }

    func record(_ delivery: Delivery) -> HTTPStatus {
        deliveries.append(delivery)
        return status
    }

    func stop() async {
        await app.server.shutdown()
        try? await app.asyncShutdown()
    }
}

/// Lets the route reach the receiver made after it.
final class ReceiverBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Receiver?
    var receiver: Receiver? {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
