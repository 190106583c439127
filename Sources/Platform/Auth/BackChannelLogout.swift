import Fluent
import Foundation
import JWTKit
import SQLKit
import Vapor

/// The claims of a logout token (OpenID Connect Back-Channel Logout 1.0, section 2.4).
package struct LogoutTokenClaims: IssuedClaims {
    package var iss: IssuerClaim
    package var sub: SubjectClaim?
    package var sid: String?
    package var aud: AudienceClaim
    package var exp: ExpirationClaim
    package var iat: IssuedAtClaim
    package var jti: IDClaim
    package var events: [String: [String: String]]?
    package var nonce: String?

    package func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired(currentDate: Date().addingTimeInterval(-60))
    }
}

extension LogoutTokenClaims {
    /// A logout token for `subject`, from `issuer` to `client`, valid for two minutes.
    package init(issuer: String, subject: String, client: String, at now: Date) {
        iss = .init(value: issuer)
        sub = .init(value: subject)
        aud = .init(value: [client])
        iat = .init(value: now)
        exp = .init(value: now.addingTimeInterval(120))
        jti = .init(value: UUID().uuidString.lowercased())
        events = [BackChannelLogout.event: [:]]
    }
}

/// Back-channel logout at a relying party: the identity provider posts a signed logout token when a person signs
/// out there (for example through another app), and every session of that person in this app ends.
package enum BackChannelLogout {
    /// Where a session keeps the provider's subject of the person signed in (set by ``RelyingParty/completeSignIn``).
    package static let subjectKey = "_oidc_sub"
    package static let event = "http://schemas.openid.net/event/backchannel-logout"

    package enum Refusal: Error, Equatable {
        case invalidToken(String)
    }

    /// Verifies `token` as section 2.6 asks: signature and algorithm, `iss`, `aud` = our client, `exp`, `iat`,
    /// the back-channel logout event, a subject, and no `nonce`. Returns the subject.
    package static func verify(_ token: String, for relyingParty: RelyingParty) async throws(Refusal) -> String {
        let verifier = TokenVerifier(
            trustedIssuers: [relyingParty.configuration.issuer], audience: relyingParty.configuration.clientID,
            keySource: relyingParty.keys)
        let claims: LogoutTokenClaims
        do {
            claims = try await verifier.verify(token, as: LogoutTokenClaims.self)
        } catch {
            throw .invalidToken("\(error)")
        }
        guard claims.events?[event] != nil else { throw .invalidToken("not a back-channel logout event") }
        guard claims.nonce == nil else { throw .invalidToken("a logout token carries no nonce") }
        guard let subject = claims.sub?.value, !subject.isEmpty else { throw .invalidToken("no subject") }
        return subject
    }

    /// Ends every session of `subject` in `db`; returns how many ended.
    @discardableResult
    package static func endSessions(of subject: String, on db: any Database) async throws -> Int {
        let sql = db.sql
        let matches: any SQLExpression =
            db.isSQLite
            ? SQLRaw("json_extract(data, '$.\(subjectKey)')")
            : SQLRaw("data->>'\(subjectKey)'")
        let ended = try await sql.delete(from: WebSessionModel.schema).where(matches, .equal, SQLBind(subject))
            .returning("id_hash").all()
        return ended.count
    }

    /// `POST path` with `logout_token` in a form: 200 when verified (the sessions ended), 400 otherwise, never cached.
    package static func register(
        on routes: any RoutesBuilder, _ path: PathComponent..., relyingParty: RelyingParty,
        database: @escaping @Sendable () -> any Database
    ) {
        routes.post(path) { req async throws -> Response in
            let token = (try? req.content.get(String.self, at: "logout_token")) ?? ""
            let response: Response
            do {
                let subject = try await verify(token, for: relyingParty)
                let ended = try await endSessions(of: subject, on: database())
                req.logger.info("back-channel logout", metadata: ["sessions_ended": .stringConvertible(ended)])
                response = Response(status: .ok)
            } catch {
                req.logger.info("back-channel logout refused", metadata: ["reason": .string("\(error)")])
                response = Response(status: .badRequest, body: .init(string: #"{"error":"invalid_request"}"#))
                response.headers.contentType = .json
            }
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return response
        }
    }
}
