import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// The synthetic smoke check: scenario 1 over plain HTTP against any deployment — sign in to Express, find
/// Eleanor Whitfield, hand off to OSS (single sign-on), complete every step, and come back to Express with the
/// request created. Each step is timed; the first failure names its step.
///
/// It signs in as Express's synthetic-monitoring user (`monitor@sunrise.example` in the demo), whose requests
/// Station marks synthetic: no window capacity held, archived as they are made, in no list. The last step reads
/// the request back by id and checks just that, so every run cleans up after itself.
package struct SmokeCheck {
    package struct Settings: Sendable {
        package var express: String
        package var oss: String
        package var identity: String
        package var user: String
        package var password: String
        package var patient: String

        package init(
            express: String, oss: String, identity: String, user: String, password: String,
            patient: String = "Whitfield"
        ) {
            self.express = express.hasSuffix("/") ? String(express.dropLast()) : express
            self.oss = oss.hasSuffix("/") ? String(oss.dropLast()) : oss
            self.identity = identity.hasSuffix("/") ? String(identity.dropLast()) : identity
            self.user = user
            self.password = password
            self.patient = patient
        }
    }

    package struct StepFailed: Error, CustomStringConvertible {
        package var step: String
        package var reason: String
        package var description: String { "step \"\(step)\" failed: \(reason)" }
    }

    let settings: Settings
    let report: (String) -> Void
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
    var cookies: [String: String] = [:]

    package init(_ settings: Settings, report: @escaping (String) -> Void) {
        self.settings = settings
        self.report = report
    }

    struct Page {
        var url: String
        var status: Int
        var body: String
    }

    /// Runs every step; throws ``StepFailed`` naming the first that failed.
    package mutating func run() async throws {
        do {
            try await steps()
        } catch {
            try? await client.shutdown()
            throw error
        }
        try? await client.shutdown()
    }

    mutating func steps() async throws {
        let started = Date()
        var page = try await step("open Express") { try await follow(.GET, settings.express + "/care-requests") }
        try expect(
            page.url.contains("/authorize") && page.body.contains("password"), "open Express",
            "no sign-in page at the identity provider")
        page = try await step("sign in") {
            try await submitForm(page, fields: ["email": settings.user, "password": settings.password])
        }
        try expect(
            page.url.hasPrefix(settings.express + "/care-requests") && page.status == 200, "sign in",
            "not back on Express's care requests (at \(page.url), HTTP \(page.status))")
        page = try await step("search patient") {
            // The search text is posted (with the CSRF token), never put in a URL.
            let form = try await follow(.GET, settings.express + "/patients")
            guard let search = Self.forms(form.body).first(where: { $0.action.hasSuffix("/patients") }) else {
                throw StepFailed(step: "search patient", reason: "no patient search form")
            }
            return try await follow(
                .POST, Self.resolve(search.action, against: form.url),
                form: search.fields.merging(["q": settings.patient]) { $1 })
        }
        try expect(page.body.contains(settings.patient), "search patient", "\(settings.patient) was not found")
        let start = Self.forms(page.body).first { $0.fields["patient_id"] != nil }
        try expect(start != nil, "search patient", "no \"New care request for this patient\" button")
        page = try await step("hand off to OSS") {
            try await follow(.POST, Self.resolve(start!.action, against: page.url), form: start!.fields)
        }
        try expect(
            page.url.hasPrefix(settings.oss + "/partner/start") && page.body.contains("Continue"), "hand off to OSS",
            "OSS's start page did not open without a password (at \(page.url))")
        page = try await step("continue in OSS") { try await submitForm(page, fields: [:]) }
        try expect(page.url.contains("/partner/drafts/"), "continue in OSS", "no draft (at \(page.url))")
        page = try await step("patient step") { try await submitForm(page, fields: [:]) }
        page = try await step("reason step") {
            try await submitForm(page, fields: ["chief_complaint": "Smoke check: cough", "symptom_cough": "on"])
        }
        try expect(page.url.hasSuffix("/location"), "reason step", "not on the address step (at \(page.url))")
        page = try await step("address step") {
            var fields = ["line1": "1600 Larimer St", "city": "Denver", "state": "CO", "zip": "80202"]
            for (key, value) in Self.forms(page.body).first?.fields ?? [:] where !value.isEmpty { fields[key] = value }
            return try await submitForm(page, fields: fields)
        }
        try expect(page.url.hasSuffix("/window"), "address step", "not on the time window step (at \(page.url))")
        let window = Self.radioValues(page.body, name: "window").last
        try expect(window != nil, "time window step", "no time window offered")
        page = try await step("time window step") { try await submitForm(page, fields: ["window": window!]) }
        page = try await step("details step") { try await submitForm(page, fields: ["callback_phone": "303-555-0100"]) }
        try expect(page.url.hasSuffix("/review"), "details step", "not on the review step (at \(page.url))")
        page = try await step("submit") {
            let submit = Self.forms(page.body).first { $0.action.hasSuffix("/submit") }!
            return try await follow(.POST, Self.resolve(submit.action, against: page.url), form: submit.fields)
        }
        try expect(
            page.url.hasPrefix(settings.express + "/care-requests")
                && page.body.contains("Your care request was created."), "submit",
            "Express did not show the created message (at \(page.url))")
        let detail = Self.capture(#"<a href="(/care-requests/[0-9a-f-]{36})">View it</a>"#, in: page.body).first
        try expect(detail != nil, "submit", "no link to the new request")
        let id = String(detail!.suffix(36))
        try expect(
            page.body.components(separatedBy: id).count == 2, "submit",
            "the new request is in the partner's list (is \(settings.user) Express's synthetic-monitoring user?)")
        page = try await step("archived") { try await follow(.GET, Self.resolve(detail!, against: page.url)) }
        try expect(
            page.status == 200 && page.body.contains("<dd>You</dd>"), "archived",
            "the request is not shown as created by You")
        try expect(
            page.body.contains("status-archived") && page.body.contains("Synthetic monitoring request"), "archived",
            "the request was not archived as a synthetic one (is \(settings.user) Express's synthetic-monitoring user?)"
        )
        report(String(format: "smoke check passed in %.2f s", Date().timeIntervalSince(started)))
    }

    func expect(_ condition: Bool, _ step: String, _ reason: String) throws {
        if !condition { throw StepFailed(step: step, reason: reason) }
    }

    func step<T>(_ name: String, _ body: () async throws -> T) async throws -> T {
        let started = Date()
        do {
            let result = try await body()
            let ms = String(format: "%6.0f ms", Date().timeIntervalSince(started) * 1000)
            report("✔ \(name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(ms)")
            return result
        } catch let failed as StepFailed {
            throw failed
        } catch {
            throw StepFailed(step: name, reason: "\(error)")
        }
    }

    /// Submits the page's first form (with its hidden fields) merged with `fields`, and follows redirects.
    mutating func submitForm(_ page: Page, fields: [String: String]) async throws -> Page {
        guard
            let form = Self.forms(page.body).first(where: {
                !$0.action.hasSuffix("/cancel") && !$0.action.hasSuffix("/sign-out")
            })
        else {
            throw StepFailed(step: "form", reason: "no form on \(page.url)")
        }
        return try await follow(
            .POST, Self.resolve(form.action, against: page.url), form: form.fields.merging(fields) { $1 })
    }

    /// One request and every redirect after it, keeping cookies as a browser would.
    mutating func follow(_ method: HTTPMethod, _ url: String, form: [String: String]? = nil) async throws -> Page {
        var current = url
        var method = method
        var body = form
        for _ in 0..<12 {
            var request = HTTPClientRequest(url: current)
            request.method = method
            if !cookies.isEmpty {
                request.headers.add(
                    name: "Cookie", value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
            }
            if let body {
                request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                request.body = .bytes(
                    ByteBuffer(string: body.map { "\($0.key)=\(Self.encode($0.value))" }.joined(separator: "&")))
            }
            let response = try await client.execute(request, timeout: .seconds(15))
            for header in response.headers["Set-Cookie"] {
                let pair = header.split(separator: ";").first.map(String.init) ?? ""
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 {
                    cookies[parts[0]] = parts[1]
                } else if parts.count == 1 {
                    cookies[parts[0]] = nil
                }
            }
            let text = String(buffer: try await response.body.collect(upTo: 4 << 20))
            if (300..<400).contains(Int(response.status.code)), let location = response.headers.first(name: "Location")
            {
                current = Self.resolve(location, against: current)
                method = .GET
                body = nil
                continue
            }
            return Page(url: current, status: Int(response.status.code), body: text)
        }
        throw StepFailed(step: "redirects", reason: "too many redirects from \(url)")
    }

    struct Form {
        var action: String
        var fields: [String: String]
    }

    static func forms(_ html: String) -> [Form] {
        html.components(separatedBy: "<form").dropFirst().map { chunk in
            let form = chunk.components(separatedBy: "</form>").first ?? chunk
            let action = capture(#"action="([^"]*)""#, in: form).first ?? ""
            var fields: [String: String] = [:]
            for input in form.components(separatedBy: "<input").dropFirst() {
                let tag = input.components(separatedBy: ">").first ?? ""
                guard let name = capture(#"name="([^"]+)""#, in: tag).first, !tag.contains("type=\"radio\""),
                    !tag.contains("type=\"checkbox\"")
                else { continue }
                fields[name] = unescape(capture(#"value="([^"]*)""#, in: tag).first ?? "")
            }
            if let text = capture(#"<textarea[^>]*name="([^"]+)""#, in: form).first {
                fields[text] = fields[text] ?? ""
            }
            return Form(action: unescape(action), fields: fields)
        }
    }

    static func radioValues(_ html: String, name: String) -> [String] {
        capture("<input type=\"radio\" name=\"\(name)\" value=\"([^\"]+)\"", in: html).map(unescape)
    }

    static func capture(_ pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&#43;", with: "+").replacingOccurrences(of: "&amp;", with: "&")
    }

    static func encode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    static func resolve(_ location: String, against base: String) -> String {
        URL(string: location, relativeTo: URL(string: base))?.absoluteString ?? location
    }
}
