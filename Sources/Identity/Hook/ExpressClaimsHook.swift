import ExpressInternalAPI
import Foundation
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import Platform

/// The post-login hook over HTTP: Express's internal claims endpoint, through its generated client.
package struct ExpressClaimsHook: PostLoginHook {
    let client: Client

    package init(expressURL: String, tokens: any AccessTokenSource) throws {
        guard let url = URL(string: expressURL) else {
            throw ConfigurationError("EXPRESS_URL \(expressURL) is not a URL.")
        }
        // A person is waiting at the password form: give a busy Express time (as identity providers' hooks get,
        // 20 s at Auth0) before saying sign-in is unavailable. 5 s was too tight on a loaded 2-core machine.
        client = Client(
            serverURL: url, configuration: .standard,
            transport: AsyncHTTPClientTransport(configuration: .init(timeout: ServiceCallTimeout.amount(15))),
            middlewares: [TraceClientMiddleware(), BearerTokenMiddleware(tokens)])
    }

    package func claims(forEmail email: String) async throws -> HookDecision {
        switch try await client.lookUpIdentityClaims(body: .json(.init(email: email))) {
        case .ok(let ok):
            let claims = try ok.body.json
            return .allow(
                HookClaims(userID: claims.userId, partnerID: claims.partnerId, roles: claims.roles.map(\.rawValue)))
        case .notFound(let problem):
            return .refuse(
                (try? problem.body.applicationProblemJson.detail) ?? nil
                    ?? "This email has no Express account. Ask your partner admin to add you.")
        case .forbidden(let problem):
            return .refuse(
                (try? problem.body.applicationProblemJson.detail) ?? nil
                    ?? "Your Express account is not active. Ask your partner admin.")
        default:
            throw HookUnavailable()
        }
    }
}
