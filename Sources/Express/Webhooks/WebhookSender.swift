import AsyncHTTPClient
import ExpressDomain
import Foundation
import NIOCore
import NIOHTTP1
import Platform

/// How a signed delivery reaches a partner's endpoint; the HTTP status it answered. `address`, when given, is the
/// one checked address to connect to (TLS still verifies the URL's host name), so that DNS cannot answer
/// differently between the check and the connection.
protocol WebhookTransport: Sendable {
    func post(url: String, address: String?, headers: [(String, String)], body: Data, timeout: Duration)
        async throws -> Int
}

/// The live transport: one POST, no redirects followed (a redirect could lead anywhere the URL checks refused).
struct HTTPWebhookTransport: WebhookTransport {
    static let configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
    static let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)

    func post(url: String, address: String?, headers: [(String, String)], body: Data, timeout: Duration)
        async throws -> Int
    {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers = HTTPHeaders(headers)
        request.body = .bytes(ByteBuffer(bytes: body))
        let deadline = TimeAmount.seconds(Int64(timeout.components.seconds))
        guard let address, let host = URLComponents(string: url)?.host else {
            return try await Self.send(request, deadline, on: Self.client)
        }
        var pinned = Self.configuration
        pinned.dnsOverride = [host: address]
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: pinned)
        do {
            let status = try await Self.send(request, deadline, on: client)
            try await client.shutdown()
            return status
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private static func send(_ request: HTTPClientRequest, _ timeout: TimeAmount, on client: HTTPClient)
        async throws -> Int
    {
        let response = try await client.execute(request, timeout: timeout)
        _ = try? await response.body.collect(upTo: 64 * 1024)
        return Int(response.status.code)
    }
}

/// Delivers the `webhook:<endpoint id>` outbox messages: checks the URL again (in production, against the
/// addresses its host resolves to now), signs with every secret in effect (two during a rotation), POSTs with a
/// timeout; any 2xx is delivered. An endpoint whose deliveries keep failing for ``WebhookHealth/disableAfter`` is
/// disabled and its partner's admins are told by email.
struct WebhookSender: Sendable {
    let service: ExpressService
    var transport: any WebhookTransport
    var resolver: any WebhookResolver
    var policy: WebhookURLPolicy
    var now: @Sendable () -> Date
    var timeout: Duration = .seconds(10)

    init(
        service: ExpressService, transport: any WebhookTransport = HTTPWebhookTransport(),
        resolver: any WebhookResolver = SystemResolver(), now: (@Sendable () -> Date)? = nil
    ) {
        self.service = service
        self.transport = transport
        self.resolver = resolver
        policy = WebhookURLPolicy(production: service.config.production)
        self.now = now ?? service.now
    }

    var route: OutboxRoute { OutboxRoute(WebhookEndpoint.destinationPrefix) { try await deliver($0) } }

    func deliver(_ message: OutboxMessage) async throws -> Int? {
        guard let id = WebhookEndpoint.endpoint(destination: message.destination),
            let endpoint = try await WebhookEndpointModel.find(id.rawValue, on: service.db)?.endpoint
        else { return nil } // the endpoint was deleted: nothing left to deliver to
        guard endpoint.enabled else { throw OutboxDeliveryError("the endpoint is disabled") }
        let status: Int
        do {
            status = try await attempt(message, to: endpoint)
        } catch {
            try await recordFailure(of: endpoint.id)
            throw error
        }
        if endpoint.health.failingSince != nil { try await recordSuccess(of: endpoint.id) }
        return status
    }

    func attempt(_ message: OutboxMessage, to endpoint: WebhookEndpoint) async throws -> Int {
        let host: String
        do throws(WebhookURLProblem) {
            host = try policy.check(endpoint.url)
        } catch {
            throw OutboxDeliveryError("refused: \(error.message)")
        }
        var address: String?
        if policy.production {
            guard let addresses = try? await resolver.addresses(of: host) else {
                throw OutboxDeliveryError("could not resolve the endpoint's host")
            }
            do throws(WebhookURLProblem) {
                try policy.check(resolved: addresses)
            } catch {
                throw OutboxDeliveryError("refused: \(error.message)")
            }
            if IPAddress(host) == nil { address = addresses.first?.text } // connect to what was checked
        }
        let now = self.now()
        let timestamp = Int(now.timeIntervalSince1970)
        let signatures = endpoint.secrets.signing(at: now).map {
            WebhookSignature(secret: $0).sign(id: message.messageID, timestamp: timestamp, body: message.payload)
        }
        let headers = [
            ("content-type", "application/json"), ("user-agent", "SelfScheduling-Webhooks/1"),
            ("webhook-id", message.messageID), ("webhook-timestamp", String(timestamp)),
            ("webhook-signature", signatures.joined(separator: " ")),
        ]
        let status = try await transport.post(
            url: endpoint.url, address: address, headers: headers, body: message.payload, timeout: timeout)
        guard (200..<300).contains(status) else {
            throw OutboxDeliveryError(statusCode: status, "the endpoint answered \(status)")
        }
        return status
    }

    func recordSuccess(of id: WebhookEndpointID) async throws {
        let now = self.now()
        try await service.write { db in
            guard let row = try await WebhookEndpointModel.find(id.rawValue, on: db) else { return }
            row.failingSince = nil
            row.updatedAt = now
            try await row.save(on: db)
        }
    }

    /// Starts or continues the endpoint's run of failures; at three days, disables it, audits and emails.
    func recordFailure(of id: WebhookEndpointID) async throws {
        let now = self.now()
        let service = service
        try await service.write { db in
            guard let row = try await WebhookEndpointModel.find(id.rawValue, on: db), row.enabled else { return }
            var endpoint = row.endpoint
            let wasFailing = endpoint.health.failingSince != nil
            guard endpoint.health.recordFailure(at: now) == .disable else {
                if !wasFailing {
                    row.apply(endpoint, at: now)
                    try await row.save(on: db)
                }
                return
            }
            endpoint.enabled = false
            endpoint.disabledReason = "Every delivery failed for 72 hours."
            row.apply(endpoint, at: now)
            try await row.save(on: db)
            try await service.audit.record(
                AuditEntry(
                    action: "webhooks.disabled", outcome: "success",
                    detail: WebhookEndpoints.auditDetail(endpoint) + " reason=failing-72h"),
                AuditContext(partner: endpoint.partner, requestID: "outbox", client: "express"), on: db)
            try await service.tellAdmins(disabled: endpoint, on: db)
        }
    }
}
