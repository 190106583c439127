import ExpressDomain
import Foundation
import IdentityManagementAPI
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import Platform
import Vocabulary

/// EHR backend clients through Identity's management API (its generated client, scope `identity.clients.write`).
package struct HTTPBackendClientRegistry: BackendClientRegistry, IdentityManagementGateway {
    let client: Client

    package init(identityURL: String, tokens: any AccessTokenSource) throws {
        client = try Self.managementClient(identityURL: identityURL, tokens: tokens)
    }

    package func register(partner: PartnerID, name: String, publicKey: String, registeredBy: UserID) async throws
        -> EHRConnection
    {
        let body = Components.Schemas.NewBackendClient(
            partnerId: partner.wire, name: name, publicKey: publicKey, registeredBy: registeredBy.wire)
        switch try await call({
            try await client.registerBackendClient(path: .init(tenant: .express), body: .json(body))
        })
        {
        case .created(let created): return try EHRConnection(try created.body.json)
        case .unprocessableContent(let refused):
            let problem = try? refused.body.applicationProblemJson
            throw EHRConnectionRefused(reason: problem?.detail ?? problem?.title ?? "The key was not accepted.")
        default: throw refused("register the EHR connection")
        }
    }

    package func connections(of partner: PartnerID) async throws -> [EHRConnection] {
        switch try await call({
            try await client.listBackendClients(path: .init(tenant: .express), query: .init(partnerId: partner.wire))
        }) {
        case .ok(let found): return try found.body.json.clients.map(EHRConnection.init)
        default: throw refused("list the EHR connections")
        }
    }

    package func remove(_ clientID: String, of partner: PartnerID) async throws {
        switch try await call({
            try await client.deleteBackendClient(
                path: .init(tenant: .express, clientId: clientID), query: .init(partnerId: partner.wire))
        }) {
        case .noContent: return
        case .notFound: throw UnknownEHRConnection()
        default: throw refused("remove the EHR connection")
        }
    }
}
