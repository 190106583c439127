import Foundation

// UUIDs as text, read and written byte by byte. Foundation's `UUID(uuidString:)` parses with `sscanf` and
// `uuidString` builds an uppercase string to be lowercased again; a page of Express's list reads about two hundred
// ids from Station's JSON, where both showed in the profile.

extension UUID {
    /// The UUID `text` spells: 32 hex digits in groups of 8-4-4-4-12 joined by hyphens, in any case; nil for
    /// anything else, also for what Foundation's `sscanf`-based `UUID(uuidString:)` lets through (a leading space,
    /// a "-1" read as a group).
    package init?(text: String) {
        var text = text
        let parsed = text.withUTF8 { bytes -> uuid_t? in
            guard bytes.count == 36 else { return nil }
            var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            let complete = withUnsafeMutableBytes(of: &uuid) { out -> Bool in
                var index = 0
                var written = 0
                while index < 36 {
                    if index == 8 || index == 13 || index == 18 || index == 23 {
                        guard bytes[index] == UInt8(ascii: "-") else { return false }
                        index += 1
                        continue
                    }
                    guard let high = Self.hexValue(bytes[index]), let low = Self.hexValue(bytes[index + 1]) else {
                        return false
                    }
                    out[written] = high << 4 | low
                    written += 1
                    index += 2
                }
                return true
            }
            return complete ? uuid : nil
        }
        guard let parsed else { return nil }
        self.init(uuid: parsed)
    }

    /// The UUID as lowercase text (8-4-4-4-12 hex digits), as ids travel.
    package var lowercasedText: String {
        String(unsafeUninitializedCapacity: 36) { out in
            let digits: StaticString = "0123456789abcdef"
            var index = 0
            withUnsafeBytes(of: uuid) { bytes in
                digits.withUTF8Buffer { hex in
                    for (offset, byte) in bytes.enumerated() {
                        if offset == 4 || offset == 6 || offset == 8 || offset == 10 {
                            out[index] = UInt8(ascii: "-")
                            index += 1
                        }
                        out[index] = hex[Int(byte >> 4)]
                        out[index + 1] = hex[Int(byte & 0x0f)]
                        index += 2
                    }
                }
            }
            return index
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
