import AsyncHTTPClient
import ExpressDomain
import Foundation
import Platform
import TestSupport
import Testing
import Vapor
import Vocabulary

@testable import Express

@Suite("EHR connections page")
struct EHRConnectionPagesTests {
    typealias Harness = ExpressHarness
    static let publicKey = EHRConnectionDomainTests.pem

    @Test("only admins see the EHR connections entry and the pages; others get 403 and are audited")
    func adminsOnly() async throws {
        try await Harness.with(station: .none) { express in
            let admin = try await express.browser("admin@sunrise.example")
            let page = try await admin.get("/ehr-connections")
            #expect(page.status == .ok)
            #expect(page.text.contains("<h1>EHR connections</h1>") && page.text.contains("No EHR connections yet."))
            #expect(page.text.contains("href=\"/ehr-connections\" aria-current=\"page\""))
            let other = express.backendClients.add(partner: StationDemo.mercy, name: "Mercy's Epic")
            for email in ["scheduler@sunrise.example", "viewer@sunrise.example"] {
                let browser = try await express.browser(email)
                let refused = try await browser.get("/ehr-connections")
                #expect(refused.status == .forbidden && !refused.text.contains("href=\"/ehr-connections\""))
                let post = try await browser.post("/ehr-connections", ["name": "Epic", "public_key": Self.publicKey])
                #expect(post.status == .forbidden)
                #expect(try await browser.post("/ehr-connections/\(other)/remove").status == .forbidden)
            }
            #expect(express.backendClients.registrations.isEmpty && express.backendClients.removed.isEmpty)
            #expect(try await express.audit("ehr_connections.view").allSatisfy { $0.outcome == "denied" })
            #expect(try await express.audit("ehr_connections.view").count == 6)
            #expect(!(try await admin.get("/ehr-connections").text.contains("Mercy's Epic")))
        }
    }

    @Test("registering shows the client id, token URL, FHIR base URL, key id and scopes, and audits the id")
    func register() async throws {
        try await Harness.with(station: .none) { express in
            express.backendClients.stub("Epic production", .registered(keyID: "kid-epic-1"))
            let admin = try await express.browser("admin@sunrise.example")
            let form = ["name": " Epic production ", "public_key": "\n\(Self.publicKey)\n"]
            #expect(try await admin.post("/ehr-connections", form, defaults: false).status == .forbidden)
            #expect(express.backendClients.registrations.isEmpty)

            let made = try await admin.post("/ehr-connections", form)
            #expect(made.status == .created)
            let client = try #require(express.backendClients.clients.first)
            for shown in [
                client.clientID, "kid-epic-1", FakeBackendClients.tokenURL, "http://localhost:8082/fhir/r4",
                "system/*.read", "grant_type=client_credentials", "http://localhost:8082/fhir/r4/ServiceRequest",
            ] {
                #expect(made.text.contains(shown), "\(shown)")
            }
            let user = try #require(try await express.service.user(email: "admin@sunrise.example"))
            #expect(
                express.backendClients.registrations == [
                    .init(
                        partner: StationDemo.sunrise, name: "Epic production", publicKey: Self.publicKey,
                        registeredBy: user.userID)
                ])
            let audit = try await express.audit("ehr_connection.registered")
            #expect(audit.count == 1 && audit.first?.detail == "client \(client.clientID)")
            #expect(audit.first?.partnerID == StationDemo.sunrise.rawValue)

            let list = try await admin.get("/ehr-connections")
            #expect(list.text.contains("Epic production") && list.text.contains(client.clientID))
            #expect(list.text.contains("href=\"/ehr-connections/\(client.clientID)/remove\""))
            #expect(list.text.contains("<td data-label=\"Last used\">Not yet</td>"))
        }
    }

    @Test("a form error or Identity's refusal shows next to its field and keeps what was typed")
    func errors() async throws {
        try await Harness.with(station: .none) { express in
            let admin = try await express.browser("admin@sunrise.example")
            let unnamed = try await admin.post("/ehr-connections", ["name": "", "public_key": Self.publicKey])
            #expect(unnamed.status == .unprocessableEntity)
            #expect(unnamed.text.contains("id=\"name-error\"") && unnamed.text.contains(Self.publicKey))
            #expect(unnamed.text.contains("aria-describedby=\"name-hint name-error\" aria-invalid=\"true\""))

            let privateKey = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----"
            let leaked = try await admin.post("/ehr-connections", ["name": "Epic", "public_key": privateKey])
            #expect(leaked.status == .unprocessableEntity)
            #expect(leaked.text.contains("This is a private key: paste the PUBLIC key only."))
            #expect(express.backendClients.registrations.isEmpty, "a private key is never sent on")

            express.backendClients.stub(
                "Small key", .refused("public_key key 1 is an RSA key of fewer than 2048 bits"))
            let refused = try await admin.post("/ehr-connections", ["name": "Small key", "public_key": Self.publicKey])
            #expect(refused.status == .unprocessableEntity)
            #expect(
                refused.text.contains(
                    "<p class=\"field-error\" id=\"public_key-error\" role=\"alert\">Key 1 is an RSA key of fewer than 2048 bits.</p>"
                ))
            #expect(
                refused.text.contains("aria-describedby=\"public_key-hint public_key-error\" aria-invalid=\"true\""))
            #expect(refused.text.contains("value=\"Small key\"") && refused.text.contains(Self.publicKey))
            #expect(try await express.audit("ehr_connection.registered").isEmpty)
        }
    }

    @Test("Identity down: the page says so with a 503, keeping what was typed")
    func identityDown() async throws {
        try await Harness.with(station: .none) { express in
            let admin = try await express.browser("admin@sunrise.example")
            express.backendClients.down = true
            let page = try await admin.get("/ehr-connections")
            #expect(page.status == .serviceUnavailable && page.text.contains("could not be loaded just now"))
            let posted = try await admin.post("/ehr-connections", ["name": "Epic", "public_key": Self.publicKey])
            #expect(posted.status == .serviceUnavailable)
            #expect(posted.text.contains(EHRConnectionsController.identityDown))
            #expect(posted.text.contains("value=\"Epic\"") && posted.text.contains(Self.publicKey))
            #expect(try await admin.post("/ehr-connections/ehr-x/remove").status == .serviceUnavailable)
            #expect(try await express.audit("ehr_connection.registered").isEmpty)
        }
    }

    @Test("removing asks first, needs the CSRF token, is audited; another partner's connection is not found")
    func remove() async throws {
        try await Harness.with(station: .none) { express in
            let ours = express.backendClients.add(partner: StationDemo.sunrise, name: "Old Epic", lastUsedAt: Date())
            let theirs = express.backendClients.add(partner: StationDemo.mercy, name: "Mercy's Epic")
            let admin = try await express.browser("admin@sunrise.example")
            let confirm = try await admin.get("/ehr-connections/\(ours)/remove")
            #expect(confirm.status == .ok && confirm.text.contains("Remove “Old Epic”?"))
            #expect(confirm.text.contains("action=\"/ehr-connections/\(ours)/remove\""))
            #expect(try await admin.post("/ehr-connections/\(ours)/remove", defaults: false).status == .forbidden)
            #expect(express.backendClients.removed.isEmpty)

            #expect(try await admin.get("/ehr-connections/\(theirs)/remove").status == .notFound)
            #expect(try await admin.post("/ehr-connections/\(theirs)/remove").status == .notFound)

            let removed = try await admin.post("/ehr-connections/\(ours)/remove")
            #expect(removed.status == .seeOther && removed.location == "/ehr-connections")
            #expect(express.backendClients.removed == [ours])
            #expect(express.backendClients.clients.map(\.clientID) == [theirs])
            let audit = try await express.audit("ehr_connection.removed")
            #expect(audit.count == 1 && audit.first?.detail == "client \(ours)")
            let after = try await admin.get("/ehr-connections")
            #expect(after.text.contains("was removed") && !after.text.contains("Old Epic"))
        }
    }

    @Test("a pasted key set of several kilobytes, its body still streaming when the CSRF check reads it, is read")
    func longKeyOverTheNetwork() async throws {
        try await Harness.with(station: .none) { express in
            let browser = try await express.browser("admin@sunrise.example")
            let port = try await startOnAnyPort(express.app)
            let client = HTTPClient.forTests()
            do {
                // Sent in parts after the head, as a browser sends a long form: it arrives after middleware starts.
                let parts = [
                    "csrf=csrf-admin%40sunrise.example&name=Big+key+set&public_key=",
                    String(repeating: "k", count: 8_000),
                ].map { ByteBuffer(string: $0) }
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/ehr-connections")
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                request.headers.add(
                    name: "Cookie", value: "express_session=\(browser.cookie("express_session") ?? "")")
                let stream = AsyncStream<ByteBuffer> { sending in
                    for part in parts { sending.yield(part) }
                    sending.finish()
                }
                request.body = .stream(stream, length: .known(Int64(parts.map(\.readableBytes).reduce(0, +))))
                express.backendClients.stub("Big key set", .refused("public_key holds no keys"))
                let answer = try await client.execute(request, timeout: .seconds(30))
                #expect(answer.status == .unprocessableEntity)
                #expect(express.backendClients.registrations.map(\.publicKey.count) == [8_000])
            } catch {
                try? await client.shutdown()
                await express.app.server.shutdown()
                throw error
            }
            try await client.shutdown()
            await express.app.server.shutdown()
        }
    }

    @Test("the FHIR base URL shown is STATION_PUBLIC_URL's, else Station's, with /fhir/r4")
    func fhirBaseURL() throws {
        let directory = NSTemporaryDirectory() + "ehr-config-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = { (env: [String: String]) in try ExpressConfig.fromEnvironment(env, dataDirectory: directory) }
        #expect(try config([:]).fhirBaseURL == "http://localhost:8082/fhir/r4")
        #expect(try config(["STATION_PORT": "9182"]).fhirBaseURL == "http://localhost:9182/fhir/r4")
        #expect(
            try config(["STATION_PORT": "9182", "STATION_PUBLIC_URL": "https://station.example"]).fhirBaseURL
                == "https://station.example/fhir/r4")
    }

    @Test("the help page explains EHR connections")
    func help() async throws {
        try await Harness.with(station: .none) { express in
            let page = try await express.browser("viewer@sunrise.example").get("/help")
            #expect(page.text.contains("<h2>EHR connection</h2>") && page.text.contains("The private key never leaves"))
        }
    }
}
