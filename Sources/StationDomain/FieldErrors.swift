/// Every bad field of one request, collected so that the caller learns them all at once.
package struct FieldErrors: Error, Sendable, Equatable {
    package struct Entry: Sendable, Equatable {
        package var field: String
        package var message: String
    }

    package private(set) var entries: [Entry] = []

    package init() {}

    package var isEmpty: Bool { entries.isEmpty }

    package mutating func add(_ field: String, _ message: String) {
        entries.append(Entry(field: field, message: message))
    }

    /// Throws itself when anything was added.
    package func throwIfAny() throws(FieldErrors) {
        if !isEmpty { throw self }
    }
}
