import Analytics
import Foundation
import Testing

@Suite("Funnel text and JSON")
struct FunnelTextTests {
    let report = FunnelReport.compute(
        FunnelFixture.messages, since: FunnelFixture.monday, until: nil, partner: nil)

    var text: [String] {
        FunnelText.render(report, partnerNames: [FunnelFixture.sunrise: "Sunrise Senior Living"])
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test("a table per segment: stage, count, conversion, drop-off, then the other figures")
    func segments() {
        let lines = text
        #expect(lines.first == "Self-scheduling funnel, 2026-11-30T09:00:00Z to now")
        #expect(lines.contains("Sunrise Senior Living (\(FunnelFixture.sunrise))"))
        #expect(lines.contains("Partner \(FunnelFixture.mercy)"))
        #expect(lines.contains("Patients scheduling directly"))
        #expect(lines.contains("  Stage                            Count  Conversion  Drop-off"))
        #expect(lines.contains("  Started                              2"))
        #expect(lines.contains("  Step: Reason for the visit           1       50.0%         1"))
        #expect(lines.contains("  Step: Time window                    0        0.0%         1"))
        #expect(lines.contains("  Attempts a nurse must call skip the time window step (1 this period)."))
        #expect(lines.contains("  Screening outcomes: emergency 0, nurse_triage 0, self_schedule 1"))
        #expect(lines.contains("  Phone pages shown: 1 (online_scheduling_off 1)"))
        #expect(lines.contains("  Cancellations: 1"))
        #expect(lines.contains("  Median time from start to created: 4 min 10 s"))
        #expect(lines.contains("  Median time from start to created: none created"))
        #expect(lines.contains("    Week of 2026-11-30: 2 started, 1 created"))
        #expect(lines.contains("  review_step short: 1 exposed, 1 reached review, 1 submitted"))
        #expect(!lines.contains { $0.hasSuffix(" ") })
    }

    @Test("an empty period says so")
    func empty() {
        let none = FunnelReport.compute([], since: nil, until: nil, partner: nil)
        #expect(
            FunnelText.render(none, partnerNames: [:])
                == "Self-scheduling funnel, the first event to now\n\nNo events in this period.\n")
    }

    @Test("durations read like 42 s, 4 min 10 s, 5 min, 2 h 5 min, 3 d 4 h")
    func durations() {
        #expect(FunnelText.duration(42.4) == "42 s")
        #expect(FunnelText.duration(250) == "4 min 10 s")
        #expect(FunnelText.duration(300) == "5 min")
        #expect(FunnelText.duration(7_200) == "2 h")
        #expect(FunnelText.duration(7_500) == "2 h 5 min")
        #expect(FunnelText.duration(273_600) == "3 d 4 h")
    }

    @Test("the JSON has every documented key, null where unknown (the e2e tier parses it)")
    func jsonKeys() throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let json = try #require(
            try JSONSerialization.jsonObject(with: encoder.encode(report)) as? [String: Any])
        #expect(Set(json.keys) == ["since", "until", "partner", "segments", "experiments"])
        #expect(json["since"] as? String == "2026-11-30T09:00:00Z")
        #expect(json["until"] is NSNull)
        let segments = try #require(json["segments"] as? [[String: Any]])
        let direct = try #require(segments.last)
        #expect(
            Set(direct.keys) == [
                "segment", "partnerID", "stages", "screeningOutcomes", "emergencyAdvised", "nurseCallNeeded",
                "cancellations", "phonePagesShown", "phonePagesByReason", "medianSecondsToCreated", "weeks",
            ])
        #expect(direct["partnerID"] is NSNull)
        #expect(direct["medianSecondsToCreated"] is NSNull)
        let stage = try #require((direct["stages"] as? [[String: Any]])?.first)
        #expect(Set(stage.keys) == ["key", "label", "count", "conversion", "dropOff"])
        #expect(stage["conversion"] is NSNull)
        let week = try #require((direct["weeks"] as? [[String: Any]])?.first)
        #expect(Set(week.keys) == ["start", "started", "created"])
        let variant = try #require((json["experiments"] as? [[String: Any]])?.first)
        #expect(Set(variant.keys) == ["experiment", "variant", "exposed", "reachedReview", "submitted"])
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(try decoder.decode(FunnelReport.self, from: encoder.encode(report)) == report)
    }
}
