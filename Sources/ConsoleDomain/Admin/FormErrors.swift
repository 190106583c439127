/// What is wrong with a submitted form, one message per field, keyed by the form's field name so a page shows
/// each beside its field (and `form` for what belongs to no single field).
package struct FormErrors: Error, Sendable, Equatable, Encodable {
    /// The key of a message about the whole form.
    package static let form = "form"

    package private(set) var messages: [String: String] = [:]

    package init() {}

    package init(_ messages: [String: String]) { self.messages = messages }

    package var isEmpty: Bool { messages.isEmpty }

    package subscript(field: String) -> String? { messages[field] }

    /// Adds a message for `field`; a field keeps its first message, which is what the person fixes first.
    package mutating func add(_ field: String, _ message: String) {
        if messages[field] == nil { messages[field] = message }
    }

    /// Adds a message a service reported for a field of its request body (a JSON path such as `zip_codes[2]`
    /// or `first_admin.email`). The path's renamed form when `renamed` names it, else its first segment;
    /// a path no field of the form shows lands on ``form``.
    package mutating func add(
        servicePath path: String, _ message: String, renamed: [String: String] = [:], fields: Set<String>
    ) {
        let dotted = path.split(separator: "/").joined(separator: ".")
        let first = String(dotted.prefix { $0 != "[" && $0 != "." })
        if let field = renamed[dotted] ?? renamed[first] ?? (fields.contains(first) ? first : nil) {
            add(field, message)
        } else {
            add(Self.form, message)
        }
    }

    /// Throws itself when anything was added.
    package func throwIfAny() throws(FormErrors) {
        if !isEmpty { throw self }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(messages)
    }
}
