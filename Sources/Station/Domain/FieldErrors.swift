/// Every bad field of one request, collected so that the caller learns them all at once.
public struct FieldErrors: Error, Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var field: String
        public var message: String
    }

    public private(set) var entries: [Entry] = []

    public init() {}

    public var isEmpty: Bool { entries.isEmpty }

    public mutating func add(_ field: String, _ message: String) {
        entries.append(Entry(field: field, message: message))
    }

    /// Throws itself when anything was added.
    public func throwIfAny() throws(FieldErrors) {
        if !isEmpty { throw self }
    }
}
