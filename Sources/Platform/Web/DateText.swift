import Foundation
import NIOConcurrencyHelpers

/// Dates as people read them, from DateFormatter patterns. Each formatter is made once per pattern, zone and
/// locale: making one (an ICU formatter behind it) costs more than formatting a whole page of dates. The texts
/// made are kept too (the last few thousand): a list page shows the same windows and times on every row and on
/// every reload, and formatting through ICU was a thirtieth of such a page.
package enum DateText {
    private static let formatters = NIOLockedValueBox([String: DateFormatter]())
    private static let texts = NIOLockedValueBox([TextKey: String]())
    private static let keptTexts = 4096

    private struct TextKey: Hashable {
        var at: Double
        var pattern: String
        var zone: String
        var locale: String
    }

    /// `date` formatted with `pattern` in `zone`, in US English unless `locale` says otherwise.
    package static func string(_ date: Date, _ pattern: String, zone: TimeZone, locale: String = "en_US") -> String {
        let key = TextKey(
            at: date.timeIntervalSinceReferenceDate, pattern: pattern, zone: zone.identifier, locale: locale)
        if let text = texts.withLockedValue({ $0[key] }) { return text }
        let text = formatter(pattern, zone: zone, locale: locale).string(from: date)
        texts.withLockedValue { kept in
            if kept.count >= keptTexts { kept.removeAll(keepingCapacity: true) }
            kept[key] = text
        }
        return text
    }

    /// The date `text` denotes in `pattern` and `zone`, nil unless it matches exactly.
    package static func date(_ text: String, _ pattern: String, zone: TimeZone, locale: String = "en_US_POSIX") -> Date?
    {
        let formatter = formatter(pattern, zone: zone, locale: locale)
        guard let date = formatter.date(from: text), formatter.string(from: date) == text else { return nil }
        return date
    }

    private static func formatter(_ pattern: String, zone: TimeZone, locale: String) -> DateFormatter {
        let key = "\(pattern)|\(zone.identifier)|\(locale)"
        return formatters.withLockedValue { cache in
            if let formatter = cache[key] { return formatter }
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: locale)
            formatter.timeZone = zone
            formatter.dateFormat = pattern
            if cache.count >= 256 { cache.removeAll() }
            cache[key] = formatter
            return formatter
        }
    }
}
