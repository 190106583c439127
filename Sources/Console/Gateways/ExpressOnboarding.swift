import ExpressInternalAPI
import Foundation
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import Platform

extension ExpressInternalAPI.Client {
    /// Express's internal API with Console's machine token (console-m2m, audience `express`,
    /// `express.partners.write`): partner onboarding (`onboardPartner`).
    package static func console(
        expressURL: String, tokens: any AccessTokenSource, transport: (any ClientTransport)? = nil
    ) throws -> ExpressInternalAPI.Client {
        guard let url = URL(string: expressURL) else {
            throw ConfigurationError("EXPRESS_URL \(expressURL) is not a URL.")
        }
        return ExpressInternalAPI.Client(
            serverURL: url, configuration: .standard,
            transport: transport
                ?? AsyncHTTPClientTransport(configuration: .init(timeout: ServiceCallTimeout.amount(10))),
            middlewares: [TraceClientMiddleware(), BearerTokenMiddleware(tokens)])
    }
}
