import Foundation
import Logging

/// Logs as JSON lines on standard output: time, level, label, message and metadata, one object a line.
package struct JSONLogHandler: LogHandler {
    package var metadata: Logger.Metadata = [:]
    package var logLevel: Logger.Level = .info
    let label: String

    package init(label: String) { self.label = label }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// An attached error is not written: its description may carry request data; callers log what is safe.
    package func log(event: LogEvent) {
        var object: [String: Any] = [
            "time": Date().formatted(Self.timestampStyle), "level": event.level.rawValue, "logger": label,
            "message": event.message.description,
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            object[key.replacingOccurrences(of: "-", with: "_")] = Self.unpack(value)
        }
        guard var data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        data.append(0x0A)
        FileHandle.standardOutput.write(data)
    }

    /// Swift's own ISO 8601 style: a value, no ICU formatter behind it, safe from any thread.
    static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func unpack(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let string): string
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): values.map(unpack)
        case .dictionary(let values): values.mapValues(unpack)
        }
    }
}
