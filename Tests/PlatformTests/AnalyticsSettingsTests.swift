import Foundation
import Platform
import Testing

@Suite("Analytics settings")
struct AnalyticsSettingsTests {
    func settings(_ env: [String: String]) throws -> AnalyticsSettings {
        try AnalyticsSettings.fromEnvironment(env, dataDirectory: "/tmp/analytics-settings")
    }

    @Test("by default the file only; a collector needs its write key; ANALYTICS_FILE is on or off in any case")
    func destinations() throws {
        let plain = try settings([:])
        #expect(plain.collectorURL == nil)
        #expect(plain.file?.path == "/tmp/analytics-settings/analytics.jsonl")
        let both = try settings(["ANALYTICS_URL": "https://collector.example", "ANALYTICS_WRITE_KEY": "k"])
        #expect(both.collectorURL?.host == "collector.example")
        #expect(both.writeKey == "k")
        #expect(try settings(["ANALYTICS_FILE": "OFF"]).file == nil)
        #expect(try settings(["ANALYTICS_FILE": "on"]).file != nil)
    }

    @Test("settings that would be silently ignored, or leak a key into the start-up line, are refused with words")
    func refusals() {
        let refused: [[String: String]] = [
            ["ANALYTICS_URL": "https://collector.example"],
            ["ANALYTICS_WRITE_KEY": "k"],
            ["ANALYTICS_URL": "https://key@collector.example", "ANALYTICS_WRITE_KEY": "k"],
            ["ANALYTICS_URL": "ftp://collector.example", "ANALYTICS_WRITE_KEY": "k"],
            ["ANALYTICS_FILE": "false"],
            ["ANALYTICS_BATCH_SIZE": "0"],
        ]
        for env in refused {
            #expect(throws: ConfigurationError.self, "\(env)") { try settings(env) }
        }
    }
}
