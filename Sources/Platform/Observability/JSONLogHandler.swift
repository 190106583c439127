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
        var object: [String: MetadataJSON] = [
            "time": .init(.string(Date().formatted(Self.timestampStyle))),
            "level": .init(.string(event.level.rawValue)),
            "logger": .init(.string(label)), "message": .init(.string(event.message.description)),
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            object[key.replacingOccurrences(of: "-", with: "_")] = MetadataJSON(value)
        }
        guard var data = try? Self.encoder.encode(object) else { return }
        data.append(0x0A)
        FileHandle.standardOutput.write(data)
    }

    /// Swift's own ISO 8601 style: a value, no ICU formatter behind it, safe from any thread.
    static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// A metadata value as JSON: text, a list or an object.
    struct MetadataJSON: Encodable {
        let value: Logger.Metadata.Value

        init(_ value: Logger.Metadata.Value) { self.value = value }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch value {
            case .string(let string): try container.encode(string)
            case .stringConvertible(let convertible): try container.encode(convertible.description)
            case .array(let values): try container.encode(values.map(MetadataJSON.init))
            case .dictionary(let values): try container.encode(values.mapValues(MetadataJSON.init))
            }
        }
    }
}
