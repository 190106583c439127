import ExpressDomain
import Foundation
import IdentityManagementAPI
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import Platform

/// Identity's management API through its generated client (with Auth0, its Management API would sit here).
package struct HTTPAccountProvisioner: AccountProvisioner {
    let client: Client

    package init(identityURL: String, tokens: any AccessTokenSource) throws {
        guard let url = URL(string: identityURL) else {
            throw ConfigurationError("The Identity URL \(identityURL) is not a URL.")
        }
        client = Client(
            serverURL: url, configuration: .standard,
            transport: AsyncHTTPClientTransport(configuration: .init(timeout: .seconds(5))),
            middlewares: [TraceClientMiddleware(), BearerTokenMiddleware(tokens)])
    }

    package func createAccount(email: String, name: String) async throws -> ProvisionedAccount {
        let output: Operations.CreateAccount.Output
        do {
            output = try await client.createAccount(
                path: .init(tenant: .express), body: .json(.init(email: email, name: name)))
        } catch {
            throw ServiceUnavailable(service: "Identity", description: "Identity could not be reached: \(error)")
        }
        switch output {
        case .created(let created): return ProvisionedAccount(setPasswordURL: try created.body.json.setPasswordUrl)
        case .conflict: throw AccountExists()
        default: throw ServiceUnavailable(service: "Identity", description: "Identity refused to create the account")
        }
    }
}
