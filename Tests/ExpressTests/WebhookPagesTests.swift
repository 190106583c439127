import Foundation
import Platform
import TestSupport
import Testing
import Vapor

@testable import Express

@Suite("Webhooks page")
struct WebhookPagesTests {
    typealias Harness = ExpressHarness

    @Test("only admins see the Webhooks entry and the pages; others get 403")
    func adminsOnly() async throws {
        try await Harness.with(station: .none) { express in
            let admin = try await express.browser("admin@sunrise.example")
            let page = try await admin.get("/webhooks")
            #expect(page.status == .ok)
            #expect(page.text.contains("<h1>Webhooks</h1>") && page.text.contains("No endpoints yet."))
            #expect(page.text.contains("href=\"/webhooks\" aria-current=\"page\""))
            for email in ["scheduler@sunrise.example", "viewer@sunrise.example"] {
                let browser = try await express.browser(email)
                let refused = try await browser.get("/webhooks")
                #expect(refused.status == .forbidden && !refused.text.contains("href=\"/webhooks\""))
                let post = try await browser.post(
                    "/webhooks", ["url": "http://127.0.0.1:9/hook", "event_types[]": "care_request.created"])
                #expect(post.status == .forbidden)
            }
            #expect(try await WebhookEndpointModel.query(on: express.app.db).count() == 0)
        }
    }

    @Test("adding keeps what was typed on an error, and shows the secret once on success")
    func add() async throws {
        try await Harness.with(station: .none) { express in
            let admin = try await express.browser("admin@sunrise.example")
            let bad = try await admin.post("/webhooks", ["url": "http://hooks.example.com/in", "description": "EHR"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("value=\"http://hooks.example.com/in\"") && bad.text.contains("value=\"EHR\""))
            #expect(bad.text.contains("id=\"url-error\"") && bad.text.contains("id=\"event-types-error\""))
            let missingCSRF = try await admin.post(
                "/webhooks", ["url": "http://127.0.0.1:9/hook", "event_types[]": "care_request.created"],
                defaults: false)
            #expect(missingCSRF.status == .forbidden)

            let made = try await admin.post(
                "/webhooks",
                ["url": "http://127.0.0.1:9/hook", "description": "Our EHR", "event_types[]": "care_request.created"])
            #expect(made.status == .created)
            let secret = try #require(made.text.firstMatch(of: /whsec_[A-Za-z0-9+\/=]+/).map { String($0.output) })
            #expect(made.text.contains("shown only this once"))
            let id = try #require(try await WebhookEndpointModel.query(on: express.app.db).first()?.id)
            let detail = try await admin.get("/webhooks/\(id.uuidString.lowercased())")
            #expect(detail.status == .ok && detail.text.contains("<h1>Our EHR</h1>") && !detail.text.contains(secret))
            #expect(try await admin.get("/webhooks").text.contains("Our EHR"))
            #expect(try await express.audit("webhooks.create").count == 1)
        }
    }

    @Test("the detail shows every attempt; replay, rotate, disable, enable and delete (after a confirmation) work")
    func detail() async throws {
        try await Harness.with(station: .none) { express in
            try await express.withReceiver(status: .badGateway) { url in
                let made = try await express.registerWebhook(url: url)
                try await express.stationPushes(express.event(id: 21))
                try await ExpressApp.deliverOutbox(express.app)
                try await detailActions(express, made)
            }
        }
    }

    func detailActions(_ express: Harness, _ made: (id: String, secret: String)) async throws {
        let admin = try await express.browser("admin@sunrise.example")
        let path = "/webhooks/\(made.id)"
        let detail = try await admin.get(path)
        #expect(detail.text.contains("<h2>Delivery log</h2>") && detail.text.contains("evt_21"))
        #expect(detail.text.contains("<th scope=\"col\">Latency</th>") && detail.text.contains(" ms</td>"))
        #expect(detail.text.contains("<td data-label=\"Status code\">502</td>"))
        let delivery = try #require(try await express.outbox("webhook:\(made.id)").first)
        let replay = try await admin.post("\(path)/deliveries/\(delivery.id.uuidString.lowercased())/replay")
        #expect(replay.status == .seeOther && replay.location == path)
        #expect(try await express.audit("webhooks.replay").count == 1)

        let rotated = try await admin.post("\(path)/rotate-secret")
        #expect(rotated.status == .ok && rotated.text.contains("whsec_") && !rotated.text.contains(made.secret))
        #expect(rotated.text.contains("Still signs, alongside the new one"))
        _ = try await admin.post("\(path)/disable")
        #expect(try await admin.get(path).text.contains("Disabled by an admin."))
        _ = try await admin.post("\(path)/enable")
        #expect(try await admin.get(path).text.contains("Enabled"))

        let confirm = try await admin.get("\(path)/delete")
        #expect(confirm.text.contains("Delete this endpoint?"))
        #expect(try await admin.post("\(path)/delete").location == "/webhooks")
        #expect(try await admin.get(path).status == .notFound)

        let mercy = try await express.browser("admin@mercy.example")
        let other = try await express.registerWebhook()
        #expect(try await mercy.get("/webhooks/\(other.id)").status == .notFound)
        #expect(try await mercy.post("/webhooks/\(other.id)/delete").status == .notFound)
    }
}
