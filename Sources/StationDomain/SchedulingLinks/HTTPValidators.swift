import Foundation
import Secrets

/// The cache validators of a published file (RFC 9110 §8.8): a strong `ETag` from its bytes and `Last-Modified`.
package struct HTTPValidators: Sendable, Equatable {
    package var etag: String
    /// Whole seconds, as HTTP dates carry them.
    package var lastModified: Date

    package init(body: String, lastModified: Date) {
        etag = "\"\(Secrets.sha256Hex(body).prefix(32))\""
        self.lastModified = Date(timeIntervalSince1970: lastModified.timeIntervalSince1970.rounded(.down))
    }

    /// Whether a conditional GET may be answered 304: `If-None-Match` decides when sent (any listed tag, weak
    /// or strong, or `*`); otherwise `If-Modified-Since` when it is a valid HTTP date not before `lastModified`.
    package func isNotModified(ifNoneMatch: String?, ifModifiedSince: String?) -> Bool {
        if let ifNoneMatch {
            let tags = ifNoneMatch.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            return tags.contains { $0 == "*" || Self.opaque($0) == Self.opaque(etag) }
        }
        guard let text = ifModifiedSince, let since = Self.date(text) else { return false }
        return lastModified <= since
    }

    /// `Last-Modified`'s text (IMF-fixdate).
    package var lastModifiedText: String { Self.formatter().string(from: lastModified) }

    /// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
    package static func date(_ text: String) -> Date? { formatter().date(from: text) }

    private static func opaque(_ tag: String) -> Substring {
        tag.hasPrefix("W/") ? tag.dropFirst(2) : Substring(tag)
    }

    private static func formatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter
    }
}
