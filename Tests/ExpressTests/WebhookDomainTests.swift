import ExpressDomain
import Foundation
import Testing
import Vocabulary

@Suite("Webhook addresses")
struct IPAddressTests {
    @Test(
        "IPv4 addresses are classified by range",
        arguments: [
            ("8.8.8.8", IPAddress.Kind.global), ("93.184.216.34", .global), ("0.0.0.0", .unspecified),
            ("127.0.0.1", .loopback), ("127.255.0.9", .loopback), ("10.1.2.3", .private), ("172.16.0.1", .private),
            ("172.31.255.255", .private), ("172.32.0.1", .global), ("192.168.1.1", .private),
            ("100.64.0.1", .private), ("169.254.169.254", .linkLocal), ("224.0.0.1", .multicast),
            ("239.255.255.250", .multicast), ("255.255.255.255", .reserved), ("192.0.2.7", .reserved),
            ("198.18.0.1", .reserved),
        ])
    func ipv4(text: String, kind: IPAddress.Kind) throws {
        #expect(try #require(IPAddress(text)).kind == kind)
    }

    @Test(
        "IPv6 addresses are classified by range, and IPv4 hidden inside them by its own",
        arguments: [
            ("2606:4700:4700::1111", IPAddress.Kind.global), ("::", .unspecified), ("::1", .loopback),
            ("[::1]", .loopback), ("fe80::1", .linkLocal), ("fd12:3456::1", .uniqueLocal), ("fc00::1", .uniqueLocal),
            ("ff02::1", .multicast), ("2001:db8::1", .reserved), ("fec0::1", .private),
            ("::ffff:127.0.0.1", .loopback), ("::ffff:7f00:1", .loopback), ("::ffff:10.0.0.1", .private),
            ("::ffff:169.254.169.254", .linkLocal), ("::ffff:8.8.8.8", .global), ("64:ff9b::a00:1", .private),
            ("2002:c0a8:0101::1", .private), ("0:0:0:0:0:0:0:1", .loopback),
        ])
    func ipv6(text: String, kind: IPAddress.Kind) throws {
        #expect(try #require(IPAddress(text)).kind == kind)
    }

    @Test("an address is written back as a socket takes it")
    func text() throws {
        #expect(try #require(IPAddress("93.184.216.34")).text == "93.184.216.34")
        #expect(try #require(IPAddress("2606:4700::1111")).text == "2606:4700:0:0:0:0:0:1111")
        #expect(try #require(IPAddress("::ffff:8.8.8.8")).text == "0:0:0:0:0:ffff:808:808")
    }

    @Test("what is not an address in canonical form is not parsed as one")
    func notAddresses() {
        for text in [
            "127.1", "0x7f.0.0.1", "2130706433", "010.0.0.1", "1.2.3.4.5", "example.com", "1:2:3:4:5:6:7:8:9",
            "1::2::3", "fe80::1%eth0", "::ffff:1.2.3", "",
        ] {
            #expect(IPAddress(text) == nil, "\(text)")
        }
    }
}

@Suite("Webhook endpoint URLs")
struct WebhookURLPolicyTests {
    let production = WebhookURLPolicy(production: true)
    let development = WebhookURLPolicy(production: false)

    @Test("production takes https URLs of public hosts and addresses")
    func productionAccepts() throws {
        #expect(try production.check("https://hooks.example.com/selfsched?x=1") == "hooks.example.com")
        #expect(try production.check("https://93.184.216.34:8443/in") == "93.184.216.34")
        #expect(try production.check("https://[2606:4700:4700::1111]/in") == "2606:4700:4700::1111")
    }

    @Test("production refuses http, credentials, our own networks and our own names")
    func productionRefuses() {
        let refusals: [(String, WebhookURLProblem)] = [
            ("http://hooks.example.com/", .notHTTPS), ("http://localhost:9000/", .notHTTPS),
            ("https://user:pw@hooks.example.com/", .credentials), ("ftp://hooks.example.com/", .malformed),
            ("hooks.example.com", .malformed), ("https://127.0.0.1/", .forbiddenAddress(.loopback)),
            ("https://10.0.0.5/", .forbiddenAddress(.private)),
            ("https://169.254.169.254/", .forbiddenAddress(.linkLocal)),
            ("https://[::1]/", .forbiddenAddress(.loopback)), ("https://[fd00::1]/", .forbiddenAddress(.uniqueLocal)),
            ("https://[::ffff:192.168.0.1]/", .forbiddenAddress(.private)),
            ("https://[ff02::1]/", .forbiddenAddress(.multicast)), ("https://localhost/", .forbiddenHost),
            ("https://api.localhost/", .forbiddenHost), ("https://printer.local/", .forbiddenHost),
            ("https://2130706433/", .forbiddenHost), ("https://127.1/", .forbiddenHost),
            ("https://0x7f.0x1/", .forbiddenHost), ("https://intranet/", .forbiddenHost),
            ("https://example.com/" + String(repeating: "a", count: 2100), .tooLong),
        ]
        for (url, problem) in refusals {
            #expect(throws: problem, "\(url)") { try production.check(url) }
        }
    }

    @Test("development also takes http://localhost, for a receiver on the developer's machine")
    func developmentAllowsLocalhost() throws {
        #expect(try development.check("http://localhost:9000/hook") == "localhost")
        #expect(try development.check("http://127.0.0.1:9000/hook") == "127.0.0.1")
        #expect(try development.check("https://10.0.0.5/hook") == "10.0.0.5")
        #expect(throws: WebhookURLProblem.notHTTPS) { try development.check("http://hooks.example.com/") }
    }

    @Test("at delivery, every address the name resolves to must be public in production")
    func resolved() throws {
        let public1 = try #require(IPAddress("93.184.216.34"))
        let rebound = try #require(IPAddress("10.0.0.1"))
        let mapped = try #require(IPAddress("::ffff:127.0.0.1"))
        try production.check(resolved: [public1])
        #expect(throws: WebhookURLProblem.forbiddenAddress(.private)) {
            try production.check(resolved: [public1, rebound])
        }
        #expect(throws: WebhookURLProblem.forbiddenAddress(.loopback)) { try production.check(resolved: [mapped]) }
        #expect(throws: WebhookURLProblem.malformed) { try production.check(resolved: []) }
        try development.check(resolved: [rebound])
    }
}

@Suite("Webhook endpoint rules")
struct WebhookEndpointRuleTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func endpoint(types: Set<CareRequestEvent.Kind>, enabled: Bool = true) -> WebhookEndpoint {
        WebhookEndpoint(
            id: .random(), partner: PartnerID(rawValue: UUID()), url: "https://hooks.example.com/", description: "",
            eventTypes: types, enabled: enabled, createdBy: .random(), createdAt: start,
            secrets: WebhookSigningSecrets(current: WebhookSigningSecrets.generate()))
    }

    func event(_ type: CareRequestEvent.Kind, partner: PartnerID?) -> CareRequestEvent {
        CareRequestEvent(
            id: 1, type: type, careRequest: .random(), partner: partner, oldStatus: nil, newStatus: .requested,
            window: nil, eta: nil, at: start)
    }

    @Test("an endpoint wants its partner's events of the types it chose, while enabled")
    func wants() {
        let chosen = endpoint(types: [.statusChanged])
        #expect(chosen.wants(event(.statusChanged, partner: chosen.partner)))
        #expect(!chosen.wants(event(.created, partner: chosen.partner)))
        #expect(!chosen.wants(event(.statusChanged, partner: .random())))
        #expect(!chosen.wants(event(.statusChanged, partner: nil)))
        var disabled = chosen
        disabled.enabled = false
        #expect(!disabled.wants(event(.statusChanged, partner: chosen.partner)))
    }

    @Test("the outbox destination names the endpoint, and only an endpoint's destination is read back")
    func destination() {
        let id = WebhookEndpointID.random()
        #expect(WebhookEndpoint.destination(id) == "webhook:\(id.wire)")
        #expect(WebhookEndpoint.endpoint(destination: WebhookEndpoint.destination(id)) == id)
        #expect(WebhookEndpoint.endpoint(destination: "express") == nil)
        #expect(WebhookEndpoint.endpoint(destination: "webhook:nope") == nil)
    }

    @Test("event types: at least one, each one Station publishes")
    func eventTypes() throws {
        #expect(try WebhookEventTypes.parse(["care_request.created", "care_request.created"]) == [.created])
        #expect(throws: WebhookEventTypes.Problem.none) { try WebhookEventTypes.parse([]) }
        #expect(throws: WebhookEventTypes.Problem.unknown("care_request.deleted")) {
            try WebhookEventTypes.parse(["care_request.deleted"])
        }
        #expect(WebhookEventTypes.sorted([.cancelled, .created]) == [.created, .cancelled])
    }

    @Test("secrets are whsec_ and the base64 of 32 random bytes, different each time")
    func secrets() throws {
        let one = WebhookSigningSecrets.generate()
        #expect(one.hasPrefix("whsec_"))
        #expect(try #require(Data(base64Encoded: String(one.dropFirst(6)))).count == 32)
        #expect(one != WebhookSigningSecrets.generate())
    }

    @Test("after a rotation the old secret signs alongside the new one for 24 hours, then stops")
    func rotation() {
        var secrets = WebhookSigningSecrets(current: "whsec_old")
        #expect(secrets.signing(at: start) == ["whsec_old"])
        secrets.rotate(to: "whsec_new", at: start)
        #expect(secrets.signing(at: start) == ["whsec_new", "whsec_old"])
        #expect(secrets.signing(at: start.addingTimeInterval(24 * 3600 - 1)) == ["whsec_new", "whsec_old"])
        #expect(secrets.signing(at: start.addingTimeInterval(24 * 3600)) == ["whsec_new"])
        secrets.rotate(to: "whsec_newer", at: start.addingTimeInterval(3600))
        #expect(secrets.signing(at: start.addingTimeInterval(3600)) == ["whsec_newer", "whsec_new"])
    }

    @Test("an endpoint is disabled once its deliveries have failed without a success for 72 hours")
    func health() {
        var health = WebhookHealth()
        #expect(health.recordFailure(at: start) == .keepTrying)
        #expect(health.recordFailure(at: start.addingTimeInterval(71 * 3600)) == .keepTrying)
        health.recordSuccess()
        #expect(health.recordFailure(at: start.addingTimeInterval(72 * 3600)) == .keepTrying)
        #expect(health.failingSince == start.addingTimeInterval(72 * 3600))
        #expect(health.recordFailure(at: start.addingTimeInterval(144 * 3600)) == .disable)
    }
}
