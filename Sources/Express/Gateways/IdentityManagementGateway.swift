import ExpressDomain
import Foundation
import IdentityManagementAPI
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import Platform

/// What every gateway to Identity's management API shares: its generated client with Express's machine token, and
/// the two ways a call fails (Identity not reached; an answer the caller does not expect), both a 503 to the user.
protocol IdentityManagementGateway {}

extension IdentityManagementGateway {
    static func managementClient(identityURL: String, tokens: any AccessTokenSource) throws -> Client {
        guard let url = URL(string: identityURL) else {
            throw ConfigurationError("The Identity URL \(identityURL) is not a URL.")
        }
        return Client(
            serverURL: url, configuration: .standard,
            transport: AsyncHTTPClientTransport(configuration: .init(timeout: ServiceCallTimeout.amount(5))),
            middlewares: [TraceClientMiddleware(), BearerTokenMiddleware(tokens)])
    }

    func call<Output>(_ body: () async throws -> Output) async throws -> Output {
        do { return try await body() } catch {
            throw ServiceUnavailable(service: "Identity", description: "Identity could not be reached: \(error)")
        }
    }

    func refused(_ what: String) -> ServiceUnavailable {
        ServiceUnavailable(service: "Identity", description: "Identity refused to \(what)")
    }
}
