import Foundation
import Testing
import Vapor

/// Compares what users see (a problem+json payload, a rendered page) with a fixture kept beside the tests, in
/// `Resources/Snapshots/<name>` next to the calling test file. With `SNAPSHOT_RECORD=1` in the environment the
/// fixture is written instead. A missing fixture is written and the test fails, so a new snapshot is a
/// deliberate, reviewed file.
package func expectSnapshot(
    _ response: some HTTPResponseReading, named name: String,
    replacing extra: [(pattern: String, with: String)] = [],
    filePath: String = #filePath, sourceLocation: SourceLocation = #_sourceLocation
) {
    expectSnapshot(
        Snapshot.render(response, replacing: extra), named: name, filePath: filePath, sourceLocation: sourceLocation)
}

/// Compares `text` with the fixture `name` (see above); `text` is taken as it is.
package func expectSnapshot(
    _ text: String, named name: String, filePath: String = #filePath,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let file = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        .appendingPathComponent("Resources/Snapshots").appendingPathComponent(name)
    let recording = ProcessInfo.processInfo.environment["SNAPSHOT_RECORD"] == "1"
    guard !recording, let expected = try? String(contentsOf: file, encoding: .utf8) else {
        do {
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        } catch {
            Issue.record(
                Comment(rawValue: "could not write the snapshot \(file.path): \(error)"), sourceLocation: sourceLocation
            )
        }
        if !recording {
            Issue.record(
                Comment(rawValue: "no snapshot \(name) yet; recorded it at \(file.path): review it"),
                sourceLocation: sourceLocation)
        }
        return
    }
    if let difference = Snapshot.firstDifference(expected: expected, actual: text) {
        // A plain string would be taken as an Error (LeafKit makes String one) and lose its text.
        Issue.record(
            Comment(
                rawValue: """
                    \(name) differs from its snapshot (re-record with SNAPSHOT_RECORD=1 if the change is meant):
                    \(difference)
                    """), sourceLocation: sourceLocation)
    }
}

package enum Snapshot {
    /// What a response shows: its status, content type and body (JSON pretty-printed with sorted keys), with what
    /// changes from run to run replaced by placeholders.
    package static func render(
        _ response: some HTTPResponseReading, replacing extra: [(pattern: String, with: String)] = []
    ) -> String {
        var body = response.text
        if let data = body.data(using: .utf8), let json = try? JSONSerialization.jsonObject(with: data),
            JSONSerialization.isValidJSONObject(json),
            let pretty = try? JSONSerialization.data(
                withJSONObject: json, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        {
            body = String(decoding: pretty, as: UTF8.self)
        }
        let head =
            "\(response.status.code) \(response.status.reasonPhrase)\ncontent-type: \(response.headers.first(name: .contentType) ?? "")\n\n"
        return normalize(head + body + (body.hasSuffix("\n") ? "" : "\n"), replacing: extra)
    }

    /// Placeholders for what changes per run: request ids, UUIDs, instants (ISO 8601, and as pages show them: "Nov 29, 2026
    /// at 7:14 PM MST"), CSRF tokens, nonces, loopback ports.
    package static let volatile: [(pattern: String, with: String)] = [
        (#"("request_id" ?: ?)"[^"]*""#, #"$1"<request-id>""#),
        (#"Reference for support: [^<\s]+"#, "Reference for support: <request-id>"),
        (#"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"#, "<uuid>"),
        (#"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?"#, "<date-time>"),
        (#"[A-Z][a-z]{2} \d{1,2}, \d{4} at \d{1,2}:\d{2} [AP]M [A-Z]{2,5}"#, "<date-time>"),
        (#"(name="(csrf|_csrf)"[^>]*value=")[^"]*""#, "$1<csrf>\""),
        (#"nonce(=|-)("?)[A-Za-z0-9+/=_-]{8,}"#, "nonce$1$2<nonce>"),
        (#"127\.0\.0\.1:\d{4,5}"#, "127.0.0.1:<port>"),
    ]

    package static func normalize(_ text: String, replacing extra: [(pattern: String, with: String)] = []) -> String {
        (volatile + extra).reduce(text) { text, rule in
            text.replacingOccurrences(of: rule.pattern, with: rule.with, options: .regularExpression)
        }
    }

    /// The first line where `actual` departs from `expected`, with both versions, or nil when they are the same.
    package static func firstDifference(expected: String, actual: String) -> String? {
        guard expected != actual else { return nil }
        let old = expected.components(separatedBy: "\n")
        let new = actual.components(separatedBy: "\n")
        for index in 0..<max(old.count, new.count) {
            let was = index < old.count ? old[index] : "<end of snapshot>"
            let now = index < new.count ? new[index] : "<end of output>"
            if was != now { return "line \(index + 1):\n- \(was)\n+ \(now)" }
        }
        return "they differ in whitespace only"
    }
}
