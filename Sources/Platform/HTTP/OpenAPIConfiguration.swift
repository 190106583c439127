public import OpenAPIRuntime
public import Foundation

extension Configuration {
    /// What every generated server and client here uses: compact JSON and RFC 3339 dates read and written by
    /// Swift's own ISO 8601 style. The runtime's defaults pretty-print, sort keys and go through an ICU date
    /// formatter, which together cost more CPU than a list request's SQL (docs/BENCHMARKS.md).
    public static let standard = Configuration(dateTranscoder: RFC3339DateTranscoder(), jsonEncodingOptions: [])
}

/// RFC 3339 timestamps: written in UTC without fractional seconds (as the runtime's default writes them), read
/// with or without fractional seconds and with any offset.
public struct RFC3339DateTranscoder: DateTranscoder {
    private static let plain = Date.ISO8601FormatStyle()
    private static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    public init() {}

    public func encode(_ date: Date) throws -> String { date.formatted(Self.plain) }

    public func decode(_ text: String) throws -> Date {
        if let date = try? Self.plain.parse(text) { return date }
        if let date = try? Self.fractional.parse(text) { return date }
        throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "Expected an RFC 3339 date-time, found '\(text)'."))
    }
}
