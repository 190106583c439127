import Foundation

/// Where this process's analytics go, read once at start:
/// - `ANALYTICS_URL`: a collector speaking Segment's HTTP tracking API (`<url>/v1/batch`), with
///   `ANALYTICS_WRITE_KEY` (required with the URL): Segment itself, RudderStack or any compatible collector;
/// - the embedded default, always unless `ANALYTICS_FILE=off`: JSON lines in `<data dir>/analytics.jsonl`, which
///   `selfsched analytics funnel` and Console's funnel page read;
/// - `ANALYTICS_BATCH_SIZE` (messages per batch, default 100), `ANALYTICS_FLUSH_MS` (a partial batch leaves
///   after at most this long, default 1000), `ANALYTICS_QUEUE_LIMIT` (messages each destination holds in memory at
///   most, default 10,000; beyond it new messages are dropped and counted in `/metrics`).
package struct AnalyticsSettings: Sendable {
    package var collectorURL: URL?
    package var writeKey: String?
    package var file: URL?
    package var batchSize = 100
    package var flushInterval: Duration = .milliseconds(1000)
    package var queueLimit = 10_000

    package init(dataDirectory: String) {
        file = Self.file(in: dataDirectory)
    }

    /// The embedded default's file.
    package static func file(in dataDirectory: String) -> URL {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("analytics.jsonl")
    }

    package static func fromEnvironment(_ env: [String: String], dataDirectory: String) throws -> AnalyticsSettings {
        var settings = AnalyticsSettings(dataDirectory: dataDirectory)
        if let text = env["ANALYTICS_URL"], !text.isEmpty {
            guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme),
                url.host != nil
            else { throw ConfigurationError("ANALYTICS_URL must be an http(s) URL, like https://api.segment.io.") }
            guard url.user == nil, url.password == nil else {
                throw ConfigurationError("ANALYTICS_URL must not hold credentials: put the key in ANALYTICS_WRITE_KEY.")
            }
            guard let key = env["ANALYTICS_WRITE_KEY"], !key.isEmpty else {
                throw ConfigurationError("ANALYTICS_URL is set: set ANALYTICS_WRITE_KEY to the collector's write key.")
            }
            settings.collectorURL = url
            settings.writeKey = key
        }
        switch env["ANALYTICS_FILE"]?.lowercased() {
        case nil, "", "on": break
        case "off": settings.file = nil
        case let other?:
            throw ConfigurationError(
                "ANALYTICS_FILE is on or off (the file is <data dir>/analytics.jsonl), not \(other).")
        }
        if settings.collectorURL == nil, let key = env["ANALYTICS_WRITE_KEY"], !key.isEmpty {
            throw ConfigurationError("ANALYTICS_WRITE_KEY is set without ANALYTICS_URL: set the collector's URL too.")
        }
        settings.batchSize = try positive(env, "ANALYTICS_BATCH_SIZE", default: settings.batchSize, most: 2_000)
        settings.flushInterval = .milliseconds(
            try positive(env, "ANALYTICS_FLUSH_MS", default: 1000, most: 600_000))
        settings.queueLimit = try positive(env, "ANALYTICS_QUEUE_LIMIT", default: settings.queueLimit, most: 1_000_000)
        return settings
    }

    private static func positive(_ env: [String: String], _ name: String, default value: Int, most: Int) throws -> Int {
        guard let text = env[name], !text.isEmpty else { return value }
        guard let number = Int(text), (1...most).contains(number) else {
            throw ConfigurationError("\(name) must be a whole number from 1 to \(most).")
        }
        return number
    }

    /// Where analytics go, for a start-up line (never the write key).
    package var summary: String {
        var places: [String] = []
        if let collectorURL { places.append("collector \(collectorURL.absoluteString)") }
        if let file { places.append("file \(file.path)") }
        return places.isEmpty ? "nowhere (ANALYTICS_FILE=off and no ANALYTICS_URL)" : places.joined(separator: " and ")
    }
}
