/// A SMART on FHIR scope: `<context>/<resource type or *>.<permissions>`, in v1 form (`system/Patient.read`,
/// `.write`, `.*`) or v2 form (`system/Patient.rs`: letters of `cruds`, in that order).
package struct SMARTScope: Hashable, Sendable {
    package enum Context: String, Sendable { case system, user, patient }
    package enum Permission: Character, CaseIterable, Sendable {
        case create = "c"
        case read = "r"
        case update = "u"
        case delete = "d"
        case search = "s"
    }

    package var context: Context
    /// A FHIR resource type, or `*` for every type.
    package var resourceType: String
    package var permissions: Set<Permission>

    package init(context: Context, resourceType: String, permissions: Set<Permission>) {
        self.context = context
        self.resourceType = resourceType
        self.permissions = permissions
    }

    package init?(_ text: String) {
        guard let slash = text.firstIndex(of: "/"), let context = Context(rawValue: String(text[..<slash])),
            let dot = text.lastIndex(of: "."), dot > slash
        else { return nil }
        let type = String(text[text.index(after: slash)..<dot])
        guard type == "*" || Self.isResourceType(type),
            let permissions = Self.permissions(String(text[text.index(after: dot)...]))
        else { return nil }
        self.context = context
        self.resourceType = type
        self.permissions = permissions
    }

    /// Whether holding this scope grants everything `other` asks for.
    package func covers(_ other: SMARTScope) -> Bool {
        context == other.context && (resourceType == "*" || resourceType == other.resourceType)
            && other.permissions.isSubset(of: permissions)
    }

    static func isResourceType(_ text: String) -> Bool {
        guard let first = text.first, first.isASCII, first.isUppercase else { return false }
        return text.allSatisfy { $0.isASCII && $0.isLetter }
    }

    /// v1 `read` (read and search), `write` (create, update, delete), `*`; or v2 letters of `cruds`, in order.
    static func permissions(_ text: String) -> Set<Permission>? {
        switch text {
        case "read": return [.read, .search]
        case "write": return [.create, .update, .delete]
        case "*": return Set(Permission.allCases)
        default:
            var remaining = Permission.allCases[...]
            var found = Set<Permission>()
            for letter in text {
                guard let index = remaining.firstIndex(where: { $0.rawValue == letter }) else { return nil }
                found.insert(remaining[index])
                remaining = remaining[remaining.index(after: index)...]
            }
            return found.isEmpty ? nil : found
        }
    }
}
