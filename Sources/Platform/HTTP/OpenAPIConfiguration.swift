import Foundation
import OpenAPIRuntime

extension Configuration {
    /// What every generated server and client here uses: compact JSON and RFC 3339 dates read and written by
    /// Swift's own ISO 8601 style. The runtime's defaults pretty-print, sort keys and go through an ICU date
    /// formatter, which together cost more CPU than a list request's SQL (docs/BENCHMARKS.md).
    package static let standard = Configuration(dateTranscoder: RFC3339DateTranscoder(), jsonEncodingOptions: [])
}

/// RFC 3339 timestamps: written in UTC without fractional seconds (as the runtime's default writes them), read
/// with or without fractional seconds and with any offset.
package struct RFC3339DateTranscoder: DateTranscoder {
    private static let plain = Date.ISO8601FormatStyle()
    private static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    package init() {}

    package func encode(_ date: Date) throws -> String { date.formatted(Self.plain) }

    package func decode(_ text: String) throws -> Date {
        if let date = try? Self.plain.parse(text) { return date }
        if let date = try? Self.fractional.parse(text) { return date }
        throw DecodingError.dataCorrupted(
            .init(codingPath: [], debugDescription: "Expected an RFC 3339 date-time, found '\(text)'."))
    }
}
