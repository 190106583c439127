import Foundation
import Vocabulary

/// What a partner admin types to connect an EHR, and what is wrong with it, by field (`name`, `public_key`),
/// worded for the person who typed it.
package struct EHRConnectionForm: Sendable, Equatable {
    package static let nameLimit = 200
    package static let publicKeyLimit = 20_000
    package static let privateKeyMessage =
        "This is a private key: paste the PUBLIC key only. The private key never leaves your system."

    package var name: String
    package var publicKey: String

    package init(name: String, publicKey: String) {
        self.name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        self.publicKey = publicKey.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Only partner admins connect EHRs: a connection reads every patient and care request of the partner.
    package static func mayManage(_ user: ActingUser) -> Bool { user.role == .admin }

    /// The problems Express can see without the identity provider. A private key is refused here, so that it is
    /// never sent on.
    package var problems: [String: String] {
        var problems: [String: String] = [:]
        if name.isEmpty {
            problems["name"] = "Enter a name for this connection, such as “Epic production”."
        } else if name.count > Self.nameLimit {
            problems["name"] = "Use at most \(Self.nameLimit) characters."
        }
        if publicKey.isEmpty {
            problems["public_key"] = "Paste the EHR's public key: a PEM public key or a JWKS document."
        } else if publicKey.count > Self.publicKeyLimit {
            problems["public_key"] = "This is longer than a key set can be (at most \(Self.publicKeyLimit) characters)."
        } else if publicKey.contains("PRIVATE KEY") || Self.looksLikePrivateJWK(publicKey) {
            problems["public_key"] = Self.privateKeyMessage
        }
        return problems
    }

    /// The identity provider's refusal as a field's message. Its reasons name the field first ("public_key is not
    /// valid JSON: …"); one that names none is about the key.
    package static func problem(refused reason: String) -> (field: String, message: String) {
        let fields = [("public_key", "The public key"), ("name", "The name")]
        for (field, words) in fields where reason.hasPrefix(field + " ") {
            let rest = reason.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces)
            // "public_key key 2 lacks n or e" is about one key of a set: "Key 2 lacks n or e."
            let message = rest.hasPrefix("key ") ? rest.prefix(1).uppercased() + rest.dropFirst() : "\(words) \(rest)"
            return (field, Self.sentence(message))
        }
        return ("public_key", Self.sentence(reason))
    }

    private static func sentence(_ text: String) -> String {
        guard let last = text.last, !".!?".contains(last) else { return text }
        return text + "."
    }

    /// A JWK's private members (RFC 7518 §6.2.2, §6.3.2), as they appear in a pasted JWKS.
    private static func looksLikePrivateJWK(_ text: String) -> Bool {
        guard text.hasPrefix("{"), let data = text.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return false }
        let keys = (object["keys"] as? [[String: Any]]) ?? [object]
        let privateMembers: Set<String> = ["d", "p", "q", "dp", "dq", "qi", "oth"]
        return keys.contains { !privateMembers.isDisjoint(with: $0.keys) }
    }
}
