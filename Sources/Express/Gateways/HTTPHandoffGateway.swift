import ExpressDomain
import Foundation
import OSSAPI
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import Platform
import Vocabulary

/// OSS's handoff API through its generated client.
package struct HTTPHandoffGateway: HandoffGateway {
    let client: Client

    package init(ossURL: String, tokens: any AccessTokenSource) throws {
        guard let url = URL(string: ossURL) else { throw ConfigurationError("OSS_URL \(ossURL) is not a URL.") }
        client = Client(
            serverURL: url, configuration: .standard,
            transport: AsyncHTTPClientTransport(configuration: .init(timeout: ServiceCallTimeout.amount(5))),
            middlewares: [TraceClientMiddleware(), BearerTokenMiddleware(tokens)])
    }

    package func push(_ handoff: HandoffRequest) async throws -> PushedHandoff {
        let output: Operations.CreateHandoff.Output
        do {
            output = try await client.createHandoff(body: .json(.init(handoff)))
        } catch {
            throw ServiceUnavailable(
                service: "Online Self Scheduling", description: "OSS could not be reached: \(error)")
        }
        guard case .created(let created) = output, let body = try? created.body.json else {
            throw ServiceUnavailable(service: "Online Self Scheduling", description: "OSS refused the handoff")
        }
        return PushedHandoff(handle: body.handoff, startURL: body.startUrl, expiresAt: body.expiresAt)
    }
}

extension Components.Schemas.HandoffRequest {
    init(_ handoff: ExpressDomain.HandoffRequest) {
        self.init(
            partnerId: handoff.partner.wire, userId: handoff.user.wire, patientId: handoff.patient?.wire,
            returnUrl: handoff.returnURL, intent: .init(handoff.intent), careRequestId: handoff.careRequest?.wire,
            synthetic: handoff.synthetic ? true : nil)
    }
}

extension Components.Schemas.HandoffRequest.IntentPayload {
    init(_ intent: HandoffIntent) {
        switch intent {
        case .new: self = .new
        case .reschedule: self = .reschedule
        case .cancel: self = .cancel
        }
    }
}
