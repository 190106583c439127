import Foundation
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import OSSAPI
import Platform

/// A one-time handle OSS made for a user's new care request.
package struct PushedHandoff: Sendable, Equatable {
    package var handle: String
    package var startURL: String
    package var expiresAt: Date
}

/// Pushes what Express knows of a new care request to OSS, server to server.
package protocol HandoffGateway: Sendable {
    /// `synthetic`: the user is a synthetic-monitoring one, so the request OSS makes is marked synthetic in Station.
    func push(partner: UUID, user: UUID, patient: UUID?, returnURL: String, synthetic: Bool) async throws -> PushedHandoff
}

package struct HTTPHandoffGateway: HandoffGateway {
    let client: Client

    package init(ossURL: String, tokens: any AccessTokenSource) throws {
        guard let url = URL(string: ossURL) else { throw ConfigurationError("OSS_URL \(ossURL) is not a URL.") }
        client = Client(serverURL: url, configuration: .standard, transport: AsyncHTTPClientTransport(configuration: .init(timeout: .seconds(5))),
                        middlewares: [TraceClientMiddleware(), BearerTokenMiddleware(tokens)])
    }

    package func push(partner: UUID, user: UUID, patient: UUID?, returnURL: String, synthetic: Bool) async throws -> PushedHandoff {
        let output: Operations.CreateHandoff.Output
        do {
            output = try await client.createHandoff(body: .json(.init(
                partnerId: partner.uuidString.lowercased(), userId: user.uuidString.lowercased(),
                patientId: patient?.uuidString.lowercased(), returnUrl: returnURL, synthetic: synthetic ? true : nil)))
        } catch {
            throw ServiceUnavailable(service: "Online Self Scheduling", description: "OSS could not be reached: \(error)")
        }
        guard case .created(let created) = output, let body = try? created.body.json else {
            throw ServiceUnavailable(service: "Online Self Scheduling", description: "OSS refused the handoff")
        }
        return PushedHandoff(handle: body.handoff, startURL: body.startUrl, expiresAt: body.expiresAt)
    }
}
