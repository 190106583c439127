import Foundation

/// The `_since` parameter of `$bulk-publish`: an instant with a time zone (`2026-11-30T21:00:00Z`,
/// `2026-11-30T14:00:00.250-07:00`). Only resources changed after it are published.
package struct BulkSince: Sendable, Equatable {
    package var instant: Date

    package init(_ instant: Date) { self.instant = instant }

    /// Nil for anything that is not a full instant with its zone. A `+` decoded from a query as a space is
    /// taken back as `+`.
    package init?(text: String) {
        let text = text.replacingOccurrences(of: " ", with: "+")
        guard text.count <= 40, text.contains("T") else { return nil }
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = plain.date(from: text) ?? fractional.date(from: text) else { return nil }
        instant = date
    }

    /// Whether a resource last changed at `lastUpdated` is published under this `_since`.
    package func includes(_ lastUpdated: Date) -> Bool { lastUpdated > instant }
}
