import Crypto
import Fluent
import Foundation
import Vapor

/// A browser's server-side session: data in the service's database, only a random id in the cookie.
///
/// Sessions end after `idleTimeout` without a request or `absoluteTimeout` after they began, and get a
/// new id when their user signs in (``regenerate()``), so a session id planted before sign-in is worthless.
package final class WebSession: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: String]
    fileprivate(set) var id: String?
    fileprivate(set) var createdAt: Date
    fileprivate var changed = false
    fileprivate var regenerateRequested = false
    fileprivate var destroyed = false

    init(id: String?, values: [String: String], createdAt: Date) {
        self.id = id
        self.values = values
        self.createdAt = createdAt
    }

    package subscript(key: String) -> String? {
        get { lock.withLock { values[key] } }
        set {
            lock.withLock {
                values[key] = newValue
                changed = true
            }
        }
    }

    var snapshot: [String: String] { lock.withLock { values } }

    /// A fresh id at the next response, keeping the data (call it at sign-in).
    package func regenerate() {
        lock.withLock {
            regenerateRequested = true
            changed = true
        }
    }

    /// Ends the session: its row is deleted and the cookie expired.
    package func destroy() {
        lock.withLock {
            values = [:]
            destroyed = true
        }
    }

    /// The session's CSRF token, made on first use; every state-changing form carries it.
    package var csrfToken: String {
        if let token = self["_csrf"] { return token }
        let token = WebSession.randomID()
        self["_csrf"] = token
        return token
    }

    /// Whether a submitted token is this session's, compared in constant time.
    package func isValidCSRF(_ submitted: String?) -> Bool {
        guard let submitted, let expected = self["_csrf"] else { return false }
        return Secrets.constantTimeEqual(submitted, expected)
    }

    /// Whether this session is still stored (not signed out, not ended by a back-channel logout or a
    /// deactivation), for a long-lived response that outlives the request that loaded it.
    package func isOpen(on db: any Database) async throws -> Bool {
        guard let id, !lock.withLock({ destroyed }) else { return false }
        return try await WebSessionModel.find(WebSessionMiddleware.hash(id), on: db) != nil
    }

    /// The key this session is stored under, or nil once it was ended here: with ``openSessions(among:on:)``,
    /// many long-lived responses check their sessions in one query.
    package var storageKey: String? {
        guard let id, !lock.withLock({ destroyed }) else { return nil }
        return WebSessionMiddleware.hash(id)
    }

    /// Which of `keys` (``storageKey``s) are still stored, in one query.
    package static func openSessions(among keys: [String], on db: any Database) async throws -> Set<String> {
        guard !keys.isEmpty else { return [] }
        return Set(try await WebSessionModel.query(on: db).filter(\.$id ~~ keys).all().compactMap(\.id))
    }

    /// 256 random bits, base64url: session ids, handles and one-time tokens.
    package static func randomID() -> String { Secrets.randomToken() }
}

final class WebSessionModel: Model, @unchecked Sendable {
    static let schema = "web_sessions"

    @ID(custom: "id_hash", generatedBy: .user) var id: String?
    @Field(key: "data") var data: [String: String]
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "last_seen_at") var lastSeenAt: Date

    init() {}
}

/// The `web_sessions` table; every app with browser sessions registers it with its migrations.
package struct CreateWebSessions: AsyncMigration {
    package init() {}

    package func prepare(on database: any Database) async throws {
        try await database.schema(WebSessionModel.schema)
            .field("id_hash", .string, .identifier(auto: false))
            .field("data", .json, .required)
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .create()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(WebSessionModel.schema).delete()
    }
}

extension Request {
    private struct WebSessionKey: StorageKey { typealias Value = WebSession }

    /// This request's session (empty when the browser has none); needs ``WebSessionMiddleware``.
    package var webSession: WebSession {
        if let session = storage[WebSessionKey.self] { return session }
        let session = WebSession(id: nil, values: [:], createdAt: Date())
        storage[WebSessionKey.self] = session
        return session
    }

    fileprivate func setWebSession(_ session: WebSession) { storage[WebSessionKey.self] = session }
}

/// Loads and saves ``WebSession``s: an HttpOnly, SameSite=Lax cookie of its own name per app (cookies are
/// shared across ports on one host), Secure outside development.
package struct WebSessionMiddleware: AsyncMiddleware {
    package var cookieName: String
    package var idleTimeout: TimeInterval
    package var absoluteTimeout: TimeInterval
    package var secure: Bool
    let now: @Sendable () -> Date

    package init(
        cookieName: String, idleTimeout: TimeInterval = 30 * 60, absoluteTimeout: TimeInterval = 12 * 3600,
        secure: Bool, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.cookieName = cookieName
        self.idleTimeout = idleTimeout
        self.absoluteTimeout = absoluteTimeout
        self.secure = secure
        self.now = now
    }

    static func hash(_ id: String) -> String { Secrets.sha256Hex(id) }

    package func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let now = self.now()
        var loaded: WebSession?
        var stored: (data: [String: String], lastSeenAt: Date)?
        if let id = request.cookies[cookieName]?.string, !id.isEmpty,
            let row = try await WebSessionModel.find(Self.hash(id), on: request.db)
        {
            if now.timeIntervalSince(row.lastSeenAt) < idleTimeout,
                now.timeIntervalSince(row.createdAt) < absoluteTimeout
            {
                loaded = WebSession(id: id, values: row.data, createdAt: row.createdAt)
                stored = (row.data, row.lastSeenAt)
            } else {
                try await row.delete(on: request.db)
                request.storage[ExpiredKey.self] = true
            }
        }
        let session = loaded ?? WebSession(id: nil, values: [:], createdAt: now)
        request.setWebSession(session)
        let response = try await next.respond(to: request)
        try await save(session, stored: stored, on: request, response: response, now: now)
        return response
    }

    /// How stale the stored last-seen time may get before a request writes it again: a write on every page
    /// would serialize all pages behind the database's commits, for a deadline that moves by seconds.
    var touchInterval: TimeInterval { min(60, idleTimeout / 10) }

    struct ExpiredKey: StorageKey { typealias Value = Bool }

    private func save(
        _ session: WebSession, stored: (data: [String: String], lastSeenAt: Date)?, on request: Request,
        response: Response, now: Date
    ) async throws {
        let db = request.db
        if session.destroyed {
            if let id = session.id { try await WebSessionModel.query(on: db).filter(\.$id == Self.hash(id)).delete() }
            response.cookies[cookieName] = .expired
            return
        }
        let data = session.snapshot
        if session.id == nil || session.regenerateRequested {
            guard !data.isEmpty else { return }
            if let old = session.id { try await WebSessionModel.query(on: db).filter(\.$id == Self.hash(old)).delete() }
            let id = WebSession.randomID()
            let row = WebSessionModel()
            row.id = Self.hash(id)
            row.data = data
            row.createdAt = session.regenerateRequested ? now : session.createdAt
            row.lastSeenAt = now
            try await row.create(on: db)
            session.id = id
            response.cookies[cookieName] = HTTPCookies.Value(
                string: id, path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .lax)
        } else if let id = session.id {
            // Every request moves the idle deadline (to within `touchInterval`).
            if let stored, stored.data == data, now.timeIntervalSince(stored.lastSeenAt) < touchInterval { return }
            try await WebSessionModel.query(on: db).filter(\.$id == Self.hash(id))
                .set(\.$data, to: data).set(\.$lastSeenAt, to: now).update()
        }
    }
}

extension Request {
    /// Whether this request came with a session that had timed out.
    package var sessionExpired: Bool { storage[WebSessionMiddleware.ExpiredKey.self] ?? false }
}
