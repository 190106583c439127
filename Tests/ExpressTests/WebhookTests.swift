import ExpressDomain
import Fluent
import Foundation
import NIOConcurrencyHelpers
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Express

/// A partner's receiver as the sender sees it: records each POST and answers `status`.
final class RecordingReceiver: WebhookTransport, @unchecked Sendable {
    struct Post {
        var url: String
        var address: String?
        var headers: [String: String]
        var body: Data
    }
    private let state = NIOLockedValueBox<(posts: [Post], status: Int)>(([], 204))

    var posts: [Post] { state.withLockedValue { $0.posts } }
    func answer(_ status: Int) { state.withLockedValue { $0.status = status } }

    func post(url: String, address: String?, headers: [(String, String)], body: Data, timeout: Duration)
        async throws -> Int
    {
        state.withLockedValue {
            $0.posts.append(
                Post(
                    url: url, address: address, headers: Dictionary(headers, uniquingKeysWith: { a, _ in a }),
                    body: body))
            return $0.status
        }
    }
}

/// DNS as a test says it is.
struct FixedResolver: WebhookResolver {
    var answers: [String: [String]]
    func addresses(of host: String) async throws -> [IPAddress] {
        guard let found = answers[host] else { throw UnresolvableHost(host: host) }
        return found.compactMap(IPAddress.init)
    }
}

extension ExpressHarness {
    /// A partner API access token for the demo user `email`, as the identity provider would issue it.
    func apiToken(_ email: String) async throws -> String {
        let user = try #require(try await service.user(email: email))
        return try await users.sign(
            AccessTokenClaims(
                iss: users.issuer, sub: email, aud: ["express"], exp: Date().addingTimeInterval(300),
                partnerID: user.partner.wire, userID: user.userID.wire, roles: [user.role]))
    }

    func api(_ method: HTTPMethod, _ path: String, token: String, body: String? = nil) async throws
        -> TestingHTTPResponse
    {
        var headers = HTTPHeaders()
        headers.bearerAuthorization = .init(token: token)
        if body != nil { headers.contentType = .json }
        return try await app.testing().sendRequest(
            method, "/api/v1" + path, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// The secret in a create or rotate response.
    func secret(in response: TestingHTTPResponse) throws -> String {
        struct WithSecret: Decodable { var secret: String }
        return try JSONDecoder().decode(WithSecret.self, from: Data(response.text.utf8)).secret
    }

    /// A receiver on a port of its own that answers every POST with `status`, for the worker's live transport.
    func withReceiver(status: HTTPStatus, _ body: (String) async throws -> Void) async throws {
        let receiver = try await Application.make(.testing)
        receiver.post("hook") { _ in Response(status: status) }
        var failure: (any Error)?
        do {
            let port = try await startOnAnyPort(receiver)
            try await body("http://127.0.0.1:\(port)/hook")
        } catch {
            failure = error
        }
        await receiver.server.shutdown()
        try await receiver.asyncShutdown()
        if let failure { throw failure }
    }

    /// Registers an endpoint through the partner API as `email`; its id and secret.
    func registerWebhook(
        _ email: String = "admin@sunrise.example", url: String = "http://127.0.0.1:9/hook",
        types: [String] = ["care_request.status_changed"]
    ) async throws -> (id: String, secret: String) {
        struct Made: Decodable {
            struct Endpoint: Decodable { var id: String }
            var endpoint: Endpoint
            var secret: String
        }
        struct Create: Encodable {
            var url: String
            var eventTypes: [String]
            enum CodingKeys: String, CodingKey {
                case url
                case eventTypes = "event_types"
            }
        }
        let body = String(decoding: try JSONEncoder().encode(Create(url: url, eventTypes: types)), as: UTF8.self)
        let response = try await api(.POST, "/webhook-endpoints", token: try await apiToken(email), body: body)
        try #require(response.status == .created, "\(response.text)")
        let made = try JSONDecoder().decode(Made.self, from: Data(response.text.utf8))
        return (made.endpoint.id, made.secret)
    }

    func event(
        _ type: CareRequestEvent.Kind = .statusChanged, id: Int64 = 1, partner: PartnerID? = DemoPartners.sunrise,
        careRequest: CareRequestID = .random()
    ) -> CareRequestEvent {
        CareRequestEvent(
            id: id, type: type, careRequest: careRequest, partner: partner, oldStatus: .requested,
            newStatus: .accepted, window: nil, eta: nil, at: Date())
    }

    func outbox(_ destination: String) async throws -> [OutboxMessageState] {
        try await OutboxLog(database: service.database).messages(destination: destination, limit: 100)
    }
}

extension OutboxMessageState {
    /// The message as the worker hands it to a route.
    var outgoing: OutboxMessage {
        OutboxMessage(
            id: id, destination: destination, messageID: messageID, orderingKey: orderingKey, payload: payload,
            attempts: attempts, createdAt: createdAt)
    }
}

extension DemoPartners {
    static var sunrise: PartnerID { PartnerID(rawValue: sunriseID) }
}

@Suite("Webhook endpoints in the partner API")
struct WebhookAPITests {
    typealias Harness = ExpressHarness

    @Test("an admin registers, reads, changes, rotates and deletes an endpoint; each change is audited")
    func lifecycle() async throws {
        try await Harness.with(station: .none) { express in
            let admin = try await express.apiToken("admin@sunrise.example")
            let made = try await express.registerWebhook()
            #expect(made.secret.hasPrefix("whsec_"))
            let listed = try await express.api(.GET, "/webhook-endpoints", token: admin)
            #expect(listed.status == .ok && listed.text.contains(made.id) && !listed.text.contains(made.secret))
            let got = try await express.api(.GET, "/webhook-endpoints/\(made.id)", token: admin)
            #expect(got.status == .ok && !got.text.contains("whsec_"))
            let patched = try await express.api(
                .PATCH, "/webhook-endpoints/\(made.id)", token: admin,
                body: #"{"event_types":["care_request.created"],"enabled":false}"#)
            #expect(patched.status == .ok)
            #expect(patched.text.contains("care_request.created") && patched.text.contains("\"enabled\":false"))
            let rotated = try await express.api(.POST, "/webhook-endpoints/\(made.id)/rotate-secret", token: admin)
            #expect(rotated.status == .ok && rotated.text.contains("whsec_") && !rotated.text.contains(made.secret))
            #expect(rotated.text.contains("previous_secret_expires_at"))
            #expect(try await express.api(.DELETE, "/webhook-endpoints/\(made.id)", token: admin).status == .noContent)
            #expect(try await express.api(.GET, "/webhook-endpoints/\(made.id)", token: admin).status == .notFound)
            for action in ["create", "update", "rotate_secret", "delete"] {
                let audited = try await express.audit("api.webhooks.\(action)")
                #expect(audited.count == 1, "\(action)")
                #expect(audited.allSatisfy { !($0.detail ?? "").contains("whsec_") })
            }
        }
    }

    @Test("only the partner's admins may; another partner's endpoint is not found")
    func scoping() async throws {
        try await Harness.with(station: .none) { express in
            let made = try await express.registerWebhook()
            for email in ["scheduler@sunrise.example", "viewer@sunrise.example"] {
                let token = try await express.apiToken(email)
                #expect(try await express.api(.GET, "/webhook-endpoints", token: token).status == .forbidden)
                #expect(try await express.api(.GET, "/webhook-endpoints/\(made.id)", token: token).status == .forbidden)
            }
            #expect(try await express.audit("api.webhooks.view").allSatisfy { $0.outcome == "denied" })
            let mercy = try await express.apiToken("admin@mercy.example")
            let mercyList = try await express.api(.GET, "/webhook-endpoints", token: mercy)
            #expect(mercyList.status == .ok && !mercyList.text.contains(made.id))
            for (method, path) in [
                (HTTPMethod.GET, ""), (.DELETE, ""), (.POST, "/rotate-secret"), (.GET, "/deliveries"),
            ] {
                let response = try await express.api(method, "/webhook-endpoints/\(made.id)\(path)", token: mercy)
                #expect(response.status == .notFound, "\(method) \(path)")
            }
            let patch = try await express.api(
                .PATCH, "/webhook-endpoints/\(made.id)", token: mercy, body: #"{"enabled":false}"#)
            #expect(patch.status == .notFound)
            let admin = try await express.apiToken("admin@sunrise.example")
            #expect(
                try await express.api(.GET, "/webhook-endpoints/\(made.id)", token: admin).text.contains(
                    "\"enabled\":true"))
        }
    }

    @Test("a URL or event types that cannot be used are refused with the field that is wrong")
    func validation() async throws {
        try await Harness.with(station: .none) { express in
            let admin = try await express.apiToken("admin@sunrise.example")
            let http = try await express.api(
                .POST, "/webhook-endpoints", token: admin,
                body: #"{"url":"http://hooks.example.com/in","event_types":["care_request.deleted"]}"#)
            #expect(http.status == .unprocessableEntity)
            #expect(http.text.contains("\"field\":\"url\"") && http.text.contains("\"field\":\"event_types\""))
            #expect(try await express.audit("api.webhooks.create").isEmpty)
        }
    }

    @Test("in production only public https endpoints register, also when the name resolves to a private address")
    func productionURLs() async throws {
        try await Harness.with(station: .none) { express in
            var endpoints = WebhookEndpoints(service: express.service)
            endpoints.policy = WebhookURLPolicy(production: true)
            endpoints.resolver = FixedResolver(answers: [
                "rebind.example.com": ["93.184.216.34", "10.0.0.7"], "hooks.example.com": ["93.184.216.34"],
            ])
            let admin = try #require(try await express.service.user(email: "admin@sunrise.example"))
            let context = UseCaseContext(
                user: ActingUser(id: admin.userID, partner: admin.partner, role: .admin), channel: .partnerAPI,
                requestID: "test", client: "test", logger: Logger(label: "test"))
            func refusal(_ url: String) async throws -> String? {
                do {
                    _ = try await endpoints.create(
                        context, .init(url: url, description: "", eventTypes: ["care_request.created"]))
                    return nil
                } catch let invalid as WebhookEndpoints.Invalid {
                    return invalid.errors["url"]
                }
            }
            #expect(try await refusal("http://localhost:9999/hook")?.contains("https") == true)
            #expect(try await refusal("https://127.0.0.1/hook")?.contains("loopback") == true)
            #expect(try await refusal("https://[::ffff:10.0.0.1]/hook")?.contains("private") == true)
            #expect(try await refusal("https://rebind.example.com/hook")?.contains("private") == true)
            #expect(try await refusal("https://hooks.example.com/hook") == nil)
        }
    }
}
