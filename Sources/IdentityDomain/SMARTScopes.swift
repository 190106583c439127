import Vocabulary

/// Which SMART scopes a backend client's token gets (SMART Backend Services): each scope asked for must be
/// covered by one the client is allowed; none asked for gives every allowed scope.
package enum SMARTScopes {
    /// What an EHR backend client is registered with: read and search of every resource type.
    package static let backendClientDefault = ["system/*.read"]

    package enum Grant: Equatable, Sendable {
        /// The scopes to put in the token, each once, in the order asked.
        case granted([String])
        /// Scopes asked for that are not SMART scopes or that no allowed scope covers.
        case refused([String])
    }

    package static func grant(requested: String?, allowed: [String]) -> Grant {
        let asked = (requested ?? "").split(separator: " ").map(String.init)
        guard !asked.isEmpty else { return .granted(allowed) }
        let holding = allowed.compactMap(SMARTScope.init)
        var seen = Set<String>()
        let unique = asked.filter { seen.insert($0).inserted }
        let refused = unique.filter { text in
            guard let scope = SMARTScope(text) else { return true }
            return !holding.contains { $0.covers(scope) }
        }
        return refused.isEmpty ? .granted(unique) : .refused(refused)
    }
}
