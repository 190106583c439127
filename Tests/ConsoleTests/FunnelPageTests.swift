import ConsoleDomain
import Foundation
import Platform
import Testing
import Vapor
import Vocabulary

@testable import Console

/// `/funnel`: the operations admin's funnel from the local analytics file (a fixture written by the test), charts
/// with their figures in words and the same numbers in tables.
@Suite("Console funnel page")
struct FunnelPageTests {
    static let sunrise = PartnerID.random()
    static let start = Date(timeIntervalSince1970: 1_793_577_600 + 9 * 3600) // Monday 2 November 2026, 09:00 UTC

    /// Station's partner list for the filter.
    static func station() -> StubTransport {
        let station = StubTransport("Station")
        station.stub(
            "listPartners",
            json: #"[{"id":"\#(sunrise.wire)","slug":"sunrise","name":"Sunrise Senior Living","market_ids":[]}]"#)
        return station
    }

    static func track(
        _ name: AnalyticsEventName, _ attempt: AnalyticsAttempt, _ extra: [AnalyticsProperty: AnalyticsValue] = [:],
        partner: PartnerID?, after seconds: TimeInterval
    ) -> AnalyticsMessage {
        var properties = TrackedEvent.attempt(name, attempt, extra).wireProperties
        if let partner { properties["partner_id"] = .string(partner.wire) }
        return AnalyticsMessage(
            type: .track, event: name.rawValue, userId: "user-1", properties: properties,
            context: AnalyticsContext(app: .oss), messageId: UUID().uuidString.lowercased(),
            timestamp: start.addingTimeInterval(seconds))
    }

    /// Sunrise: one attempt through to creation in 5 minutes, one abandoned after redemption, a phone page;
    /// a patient's own attempt that stopped after the first step.
    static func fixture() throws -> URL {
        let done = AnalyticsAttempt.handoff(fingerprint: "fp-done")
        let left = AnalyticsAttempt.handoff(fingerprint: "fp-left")
        let direct = AnalyticsAttempt.draft(fingerprint: "fp-draft")
        let partner: [AnalyticsProperty: AnalyticsValue] = [.audience: .string("partner")]
        var messages = [
            track(.careRequestStarted, done, partner, partner: sunrise, after: 0),
            track(.handoffRedeemed, done, partner, partner: sunrise, after: 5),
            track(.careRequestStarted, left, partner, partner: sunrise, after: 10),
            track(.handoffRedeemed, left, partner, partner: sunrise, after: 15),
            track(.careRequestStarted, direct, [.audience: .string("direct")], partner: nil, after: 20),
            track(
                .onboardingStepCompleted, direct, [.audience: .string("direct"), .step: .string("patient")],
                partner: nil, after: 30),
        ]
        for (index, step) in ["patient", "reason", "location", "window", "details", "review"].enumerated() {
            messages.append(
                track(
                    .onboardingStepCompleted, done, [.step: .string(step)], partner: sunrise,
                    after: 20 + 10 * Double(index)))
        }
        messages += [
            track(.screeningCompleted, done, [.outcome: .string("self_schedule")], partner: sunrise, after: 35),
            track(.careRequestSubmitted, done, partner, partner: sunrise, after: 290),
            track(
                .careRequestCreated, done, [.careRequestID: .string("c0ffee00-0000-4000-8000-000000000001")],
                partner: sunrise, after: 300),
            AnalyticsMessage(
                type: .track, event: AnalyticsEventName.phonePageShown.rawValue, userId: "user-2",
                properties: ["reason": .string("online_scheduling_off"), "partner_id": .string(sunrise.wire)],
                context: AnalyticsContext(app: .express), messageId: UUID().uuidString, timestamp: start),
        ]
        let encoder = AnalyticsMessage.makeEncoder()
        let lines = try messages.map { String(decoding: try encoder.encode($0), as: UTF8.self) } + ["not json"]
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("funnel-\(UUID()).jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test("the operations admin sees each segment's funnel as an SVG with its figures in words and a table")
    func figuresFromTheFile() async throws {
        let file = try Self.fixture()
        defer { try? FileManager.default.removeItem(at: file) }
        try await ConsoleHarness.with(station: .stub(Self.station()), adjust: { $0.analytics.file = file }) { console in
            let page = try await console.signIn(as: .ops).get("/funnel")
            #expect(page.status == .ok)
            let html = page.text
            let id = Self.sunrise.wire
            #expect(html.contains(#"<h2 id="segment-\#(id)">Sunrise Senior Living</h2>"#))
            #expect(html.contains(#"<h2 id="segment-direct">Patients scheduling directly</h2>"#))
            #expect(
                html.contains(
                    #"role="img" aria-labelledby="funnel-\#(id)-title" aria-describedby="funnel-\#(id)-desc""#))
            #expect(html.contains(#"<title id="funnel-\#(id)-title">Funnel: Sunrise Senior Living</title>"#))
            #expect(html.contains(": 2. ") && html.contains(": 2, 100% of the previous stage."))
            #expect(html.contains(": 1, 50% of the previous stage."))
            #expect(html.contains(#"<td data-label="Attempts">2</td><td data-label="Conversion">100%</td>"#))
            #expect(
                html.contains(
                    #"<td data-label="Attempts">1</td><td data-label="Conversion">50%</td><td data-label="Drop-off">1</td>"#
                ))
            #expect(html.contains("<dt>Phone pages shown</dt><dd>1</dd>"))
            #expect(html.contains("<dt>Phone pages: online scheduling off</dt><dd>1</dd>"))
            #expect(html.contains("<dt>Screening: Self-scheduling allowed</dt><dd>1</dd>"))
            #expect(html.contains("<dd>5 min</dd>"))
            #expect(html.contains(#"<title id="trend-\#(id)-title">Weekly trend: Sunrise Senior Living</title>"#))
            #expect(
                html.contains(
                    #"<th scope="row" data-label="Week">Week of 2 November 2026</th><td data-label="Started">2</td><td data-label="Created">1</td>"#
                ))
            #expect(html.contains("1 line of the events file could not be read"))
            #expect(html.contains(#"<a href="/funnel" aria-current="page">Funnel</a>"#))
            let viewed = try #require(await console.analytics.tracked.last)
            #expect(viewed.event == "Funnel Viewed" && viewed.userId == StaffMember.ops.id)
        }
    }

    @Test("a partner filter shows that partner only; a period with no events says so")
    func filters() async throws {
        let file = try Self.fixture()
        defer { try? FileManager.default.removeItem(at: file) }
        try await ConsoleHarness.with(station: .stub(Self.station()), adjust: { $0.analytics.file = file }) { console in
            let browser = try await console.signIn(as: .ops)
            let one = try await browser.get("/funnel?since=&partner=\(Self.sunrise.wire)").text
            #expect(one.contains("Sunrise Senior Living</h2>") && !one.contains("Patients scheduling directly</h2>"))
            #expect(one.contains(#"<option value="\#(Self.sunrise.wire)" selected>"#))
            let direct = try await browser.get("/funnel?partner=direct").text
            #expect(
                !direct.contains("Sunrise Senior Living</h2>") && direct.contains("Patients scheduling directly</h2>"))
            #expect(direct.contains(#"<option value="direct" selected>"#))
            let later = try await browser.get("/funnel?since=2026-12-01")
            #expect(later.status == .ok)
            #expect(later.text.contains("No events in this period."))
            #expect(later.text.contains(#"value="2026-12-01""#))
            let bad = try await browser.get("/funnel?since=tomorrow")
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains(#"aria-describedby="funnel-since-error""#) && !bad.text.contains("<svg"))
        }
    }

    @Test("no file yet: the empty state; events sent elsewhere: the page says it reads only the local file")
    func emptyAndElsewhere() async throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("none-\(UUID()).jsonl")
        try await ConsoleHarness.with(station: .stub(Self.station()), adjust: { $0.analytics.file = missing }) {
            console in
            let page = try await console.signIn(as: .ops).get("/funnel")
            #expect(page.status == .ok && page.text.contains("No events in this period."))
            #expect(!page.text.contains("This page reads only the local file"))
        }
        try await ConsoleHarness.with(
            station: .stub(Self.station()),
            adjust: {
                $0.analytics.file = nil
                $0.analytics.collectorURL = URL(string: "https://collector.example")
            }
        ) { console in
            let page = try await console.signIn(as: .ops).get("/funnel").text
            #expect(page.contains("collector https://collector.example"))
            #expect(page.contains("This page reads only the local file"))
        }
    }

    @Test("only operations admins: nurses and dispatchers get 403 and no link")
    func operationsAdminsOnly() async throws {
        try await ConsoleHarness.with(station: .stub(StubTransport("Station"))) { console in
            for staff in [StaffMember.nurse, .dispatcher] {
                let browser = try await console.signIn(as: staff)
                #expect(try await browser.get("/funnel").status == .forbidden)
                let help = try await browser.get("/help").text
                #expect(!help.contains(#"href="/funnel""#))
            }
            #expect(await console.analytics.tracked.isEmpty)
        }
    }
}
