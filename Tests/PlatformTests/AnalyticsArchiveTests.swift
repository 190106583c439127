import Analytics
import Foundation
import Testing

@testable import Platform

@Suite("Analytics archive")
struct AnalyticsArchiveTests {
    private func temporaryFile(_ text: String?) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("analytics-\(UUID().uuidString).jsonl")
        if let text { try Data(text.utf8).write(to: file) }
        return file
    }

    private func line(_ event: AnalyticsEventName, _ properties: [String: AnalyticsValue]) throws -> String {
        let message = AnalyticsMessage(
            type: .track, event: event.rawValue, userId: "u1", properties: properties,
            context: .init(app: .express), messageId: UUID().uuidString,
            timestamp: Date(timeIntervalSince1970: 1_796_029_200))
        return String(decoding: try AnalyticsMessage.makeEncoder().encode(message), as: UTF8.self)
    }

    @Test("every message line is read in order; a damaged line and a partial last line are skipped and counted")
    func skipsBadLines() throws {
        let started = try line(.careRequestStarted, ["handoff_fingerprint": .string("fp"), "partner_id": .string("p")])
        let created = try line(.careRequestCreated, ["handoff_fingerprint": .string("fp"), "partner_id": .string("p")])
        let file = try temporaryFile(started + "\nnot json\n\n" + created + "\n{\"type\":\"tra")
        defer { try? FileManager.default.removeItem(at: file) }
        let archive = try AnalyticsArchive.messages(in: file)
        #expect(archive.messages.map(\.event) == ["Care Request Started", "Care Request Created"])
        #expect(archive.skipped == 2)
        let report = try FunnelQuery(partner: "p").report(from: file)
        #expect(report.report.segment("p")?.stage("created")?.count == 1)
        #expect(report.skipped == 2)
    }

    @Test("a missing file holds no messages")
    func missingFile() throws {
        let archive = try AnalyticsArchive.messages(in: try temporaryFile(nil))
        #expect(archive.messages.isEmpty)
        #expect(archive.skipped == 0)
    }
}

@Suite("Funnel command options")
struct FunnelQueryTests {
    let now = Date(timeIntervalSince1970: 1_796_029_200) // 2026-11-30 09:00 UTC

    @Test("days, spans back from now and ISO 8601 times with any fractional digits or an offset")
    func times() throws {
        let query = try FunnelQuery.parse(since: "2026-11-01", until: "2026-11-29", partner: nil, now: now)
        #expect(query.since == Date(timeIntervalSince1970: 1_793_491_200)) // 2026-11-01 00:00 UTC
        #expect(query.until == Date(timeIntervalSince1970: 1_795_996_800)) // the end of 2026-11-29
        #expect(try FunnelQuery.parse(since: "7d", until: nil, partner: nil, now: now).since == now - 7 * 86_400)
        #expect(try FunnelQuery.parse(since: "12h", until: nil, partner: nil, now: now).since == now - 12 * 3_600)
        for text in [
            "2026-11-30T09:00:00Z", "2026-11-30T09:00:00.000Z", "2026-11-30T09:00:00.000123+00:00",
            "2026-11-30T10:00:00+01:00",
        ] {
            #expect(try FunnelQuery.parse(since: text, until: nil, partner: nil, now: now).since == now, "\(text)")
        }
        let fraction = try FunnelQuery.parse(since: "2026-11-30T09:00:00.25Z", until: nil, partner: nil, now: now)
        #expect(fraction.since == now + 0.25)
    }

    @Test("a demo slug, a partner id in any case, or direct")
    func partners() throws {
        #expect(
            try FunnelQuery.parse(since: nil, until: nil, partner: "sunrise").partner
                == "5a7e0000-0000-4000-8000-000000000001")
        #expect(
            try FunnelQuery.parse(since: nil, until: nil, partner: "5A7E0000-0000-4000-8000-000000000002").partner
                == "5a7e0000-0000-4000-8000-000000000002")
        #expect(try FunnelQuery.parse(since: nil, until: nil, partner: "direct").partner == "direct")
    }

    @Test(
        "anything else is refused in words",
        arguments: [
            ("yesterday", nil, nil, FunnelQueryError(badTime: "since")),
            ("999999999999999d", nil, nil, FunnelQueryError(badTime: "since")),
            ("2026-13-01", nil, nil, FunnelQueryError(badTime: "since")),
            (nil, "7x", nil, FunnelQueryError(badTime: "until")),
            ("2026-11-02", "2026-11-01", nil, FunnelQueryError("--since must be earlier than --until.")),
            (
                nil, nil, "acme",
                FunnelQueryError("--partner is a partner's slug (sunrise, mercy), a partner id, or direct; not acme.")
            ),
        ] as [(String?, String?, String?, FunnelQueryError)])
    func refused(since: String?, until: String?, partner: String?, error: FunnelQueryError) {
        #expect(throws: error) { try FunnelQuery.parse(since: since, until: until, partner: partner, now: now) }
    }
}
