import Foundation

/// Who is calling an API, as proven by a validated bearer token.
package struct Principal: Sendable, Equatable {
    package var subject: String
    package var issuer: String
    package var clientID: String?
    package var scopes: Set<String>
    /// When set, the caller may reach only this partner's data.
    package var partnerID: UUID?
    package var userID: String?
    package var roles: [String]
    /// The `markets` claim of a staff user's token (``MarketAccess``); nil when the token carries none.
    package var markets: [String]?
    /// The `name` and `email` claims, when the token carries them (a staff user's).
    package var name: String?
    package var email: String?

    package init(
        subject: String, issuer: String, clientID: String?, scopes: Set<String>, partnerID: UUID?,
        userID: String? = nil, roles: [String] = [], markets: [String]? = nil, name: String? = nil,
        email: String? = nil
    ) {
        self.subject = subject
        self.issuer = issuer
        self.clientID = clientID
        self.scopes = scopes
        self.partnerID = partnerID
        self.userID = userID
        self.roles = roles
        self.markets = markets
        self.name = name
        self.email = email
    }

    /// The principal of the request being handled, set by ``BearerAuthMiddleware``.
    @TaskLocal package static var current: Principal?

    /// The current principal, or a 401 problem when the request carried no valid token.
    package static func authenticated() throws -> Principal {
        guard let current else { throw Problem.unauthorized("A bearer token is required.") }
        return current
    }

    /// Throws a 403 problem unless the token has `scope`.
    package func require(scope: String) throws {
        guard scopes.contains(scope) else {
            throw Problem.forbidden("The token lacks the scope \(scope).")
        }
    }

    /// Whether this caller may see data of `partner` (nil: data of no partner, such as a direct patient's).
    package func canReach(partner: UUID?) -> Bool {
        guard let partnerID else { return true }
        return partner == partnerID
    }

    /// A client-credentials token: its subject is the client itself (RFC 9068 §2.2), no user signed in.
    package var isMachine: Bool { clientID.map { !$0.isEmpty && $0 == subject } ?? false }

    /// A stable name for the caller, for idempotency keys and audit.
    package var callerKey: String { "\(issuer)#\(clientID ?? subject)" }
}
