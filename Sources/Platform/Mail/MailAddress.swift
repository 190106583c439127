import Foundation

/// One mailbox: `address` (`someone@example.org`) and an optional display name.
package struct MailAddress: Codable, Sendable, Equatable, Hashable, CustomStringConvertible {
    package var name: String?
    package var address: String

    package init(name: String? = nil, address: String) {
        self.name = name
        self.address = address
    }

    /// Reads `Name <someone@example.org>` or a bare `someone@example.org` (MAIL_FROM, the command line).
    package init?(parsing text: String) {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let open = text.lastIndex(of: "<"), text.hasSuffix(">") {
            let address = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
            var name = text[..<open].trimmingCharacters(in: .whitespaces)
            if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
                name = String(name.dropFirst().dropLast())
            }
            self.init(name: name.isEmpty ? nil : name, address: address)
        } else {
            self.init(address: text)
        }
        guard isValid else { return nil }
    }

    /// A plain `local@domain`: ASCII, no spaces, controls, angle brackets, commas or quotes, so that it can
    /// stand in a header and in `MAIL FROM:<…>` / `RCPT TO:<…>` without smuggling anything in.
    package var isValid: Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, address.utf8.count <= 254 else { return false }
        return address.unicodeScalars.allSatisfy { scalar in
            scalar.value > 32 && scalar.value < 127 && !"<>()[],;:\\\"".unicodeScalars.contains(scalar)
        }
    }

    /// The part after `@`.
    package var domain: String { address.split(separator: "@").last.map(String.init) ?? "localhost" }

    package var description: String {
        guard let name, !name.isEmpty else { return address }
        return "\(name) <\(address)>"
    }
}
