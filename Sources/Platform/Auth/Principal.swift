public import Foundation

/// Who is calling an API, as proven by a validated bearer token.
public struct Principal: Sendable, Equatable {
    public var subject: String
    public var issuer: String
    public var clientID: String?
    public var scopes: Set<String>
    /// When set, the caller may reach only this partner's data.
    public var partnerID: UUID?
    public var userID: String?
    public var roles: [String]

    public init(subject: String, issuer: String, clientID: String?, scopes: Set<String>, partnerID: UUID?,
                userID: String? = nil, roles: [String] = []) {
        self.subject = subject
        self.issuer = issuer
        self.clientID = clientID
        self.scopes = scopes
        self.partnerID = partnerID
        self.userID = userID
        self.roles = roles
    }

    /// The principal of the request being handled, set by ``BearerAuthMiddleware``.
    @TaskLocal public static var current: Principal?

    /// The current principal, or a 401 problem when the request carried no valid token.
    public static func authenticated() throws -> Principal {
        guard let current else { throw Problem.unauthorized("A bearer token is required.") }
        return current
    }

    /// Throws a 403 problem unless the token has `scope`.
    public func require(scope: String) throws {
        guard scopes.contains(scope) else {
            throw Problem.forbidden("The token lacks the scope \(scope).")
        }
    }

    /// Whether this caller may see data of `partner` (nil: data of no partner, such as a direct patient's).
    public func canReach(partner: UUID?) -> Bool {
        guard let partnerID else { return true }
        return partner == partnerID
    }

    /// A stable name for the caller, for idempotency keys and audit.
    public var callerKey: String { "\(issuer)#\(clientID ?? subject)" }
}
