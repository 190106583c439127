import Foundation
import Secrets

/// Single-use codes that stand in for the authenticator app when it is lost: ten, shown once at enrolment
/// (`xxxx-xxxx`, lowercase base32), kept only as SHA-256 hashes.
package struct RecoveryCodes: Sendable, Equatable {
    /// The hashes of the codes not used yet.
    package var hashes: [String]

    package init(hashes: [String]) { self.hashes = hashes }

    /// Ten new codes, and what to store of them.
    package static func generate(count: Int = 10) -> (codes: [String], stored: RecoveryCodes) {
        let codes = (0..<count).map { _ in
            let text = Base32.encode(Secrets.randomBytes(5)).lowercased()
            return "\(text.prefix(4))-\(text.suffix(4))"
        }
        return (codes, RecoveryCodes(hashes: codes.map(hash)))
    }

    /// The stored form of a code as typed: case, spaces and the hyphen do not matter.
    package static func hash(_ code: String) -> String {
        Secrets.sha256Hex(String(code.lowercased().filter { $0.isLetter || $0.isNumber }))
    }

    /// Uses `code`: the codes left after it, or nil when it is not one of them (never, or already, used).
    package func using(_ code: String) -> RecoveryCodes? {
        let typed = Self.hash(code)
        guard let index = hashes.firstIndex(where: { Secrets.constantTimeEqual($0, typed) }) else { return nil }
        var rest = hashes
        rest.remove(at: index)
        return RecoveryCodes(hashes: rest)
    }

    /// As stored in the account's row: a JSON array of hashes.
    package var stored: String { String(decoding: try! JSONEncoder().encode(hashes), as: UTF8.self) }

    package init(stored: String?) {
        hashes = stored.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
    }
}
