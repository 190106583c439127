import Foundation

/// Where a browser may be sent after sign-in (a `return` or next target): a path on our own origin, and
/// nothing else.
///
/// The raw value is checked as given, never cleaned up: browsers drop tabs and newlines from a `Location`
/// and read `\` as `/`, so `/\t/evil.example` or `/\evil.example` would leave our origin.
package enum ReturnTarget {
    /// `raw` if it is a path on this origin starting with `prefix` (for example `/partner/`); otherwise nil.
    package static func localPath(_ raw: String?, under prefix: String = "/") -> String? {
        guard let raw, !raw.isEmpty, raw.utf8.count <= 2048, raw.hasPrefix("/"), !raw.hasPrefix("//"),
            raw.hasPrefix(prefix)
        else {
            return nil
        }
        guard !raw.unicodeScalars.contains(where: isRefused) else { return nil }
        guard let components = URLComponents(string: raw), components.scheme == nil, components.host == nil,
            components.user == nil, components.percentEncodedPath.hasPrefix("/"), !components.path.hasPrefix("//")
        else { return nil }
        return raw
    }

    /// Control and format characters (tab, newline, NUL, bidi overrides), any whitespace, and the backslash.
    static func isRefused(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\\" || CharacterSet.controlCharacters.contains(scalar)
            || CharacterSet.whitespacesAndNewlines.contains(scalar)
            || CharacterSet.illegalCharacters.contains(scalar)
    }
}
