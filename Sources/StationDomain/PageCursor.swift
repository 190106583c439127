import Foundation
import Secrets

/// An opaque keyset-pagination cursor: the sort key of the last row of a page.
///
/// Encoded as base64url so callers treat it as a token; decoding checks its shape so a tampered
/// cursor is a clear 400, never a query on garbage.
package struct PageCursor: Equatable, Sendable {
    package var kind: Kind
    package var keys: [String]
    package var id: UUID

    package enum Kind: String, Sendable {
        case careRequests = "cr"
        case patients = "pt"
    }

    package init(kind: Kind, keys: [String], id: UUID) {
        self.kind = kind
        self.keys = keys
        self.id = id
    }

    package struct Invalid: Error, Equatable, Sendable {
        package init() {}
    }

    package var encoded: String {
        let raw = ([kind.rawValue] + keys + [id.uuidString]).joined(separator: "\u{1F}")
        return Secrets.base64URL(Data(raw.utf8))
    }

    /// Decodes a cursor that must be of `kind` and carry `keyCount` sort keys.
    package init(decoding text: String, kind: Kind, keyCount: Int) throws(Invalid) {
        guard keyCount >= 0, text.utf8.count <= 512 else { throw Invalid() }
        guard let data = Secrets.base64URLDecoded(text),
            let raw = String(data: data, encoding: .utf8)
        else { throw Invalid() }
        let parts = raw.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == keyCount + 2, parts.first == kind.rawValue,
            let id = UUID(uuidString: parts[parts.count - 1])
        else { throw Invalid() }
        self.init(kind: kind, keys: Array(parts[1..<(parts.count - 1)]), id: id)
    }
}

/// Page size rules shared by every list: 25 by default, 1 to 100.
package enum PageSize {
    package static let `default` = 25
    package static let maximum = 100

    package static func resolve(_ requested: Int?) -> Int? {
        guard let requested else { return Self.default }
        return (1...maximum).contains(requested) ? requested : nil
    }

    /// `size` brought within 1...maximum, for stores that must never trust a caller's arithmetic.
    package static func clamped(_ size: Int) -> Int { min(max(size, 1), maximum) }
}
