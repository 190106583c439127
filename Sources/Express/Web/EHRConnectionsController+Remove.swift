import ExpressDomain
import Foundation
import Platform
import Vapor

/// Removing an EHR connection: a confirm step, then the identity provider forgets the client (its tokens already
/// issued lapse within five minutes).
extension EHRConnectionsController {
    struct ConfirmRemove: Encodable {
        var clientID: String
        var name: String
    }

    func clientID(_ req: Request) throws -> String {
        guard let id = req.parameters.get("client_id"), !id.isEmpty, id.count <= 100 else {
            throw UseCaseRefusal.notFound
        }
        return id
    }

    func confirmRemove(req: Request) async throws -> Response {
        try await refusals(req) {
            let context = req.useCase(try req.user())
            let found: EHRConnection
            do {
                found = try await connections.find(context, try clientID(req))
            } catch is ServiceUnavailable {
                return try await unavailable(req)
            }
            return try await req.page(
                "ehr-connection-remove", title: "Remove EHR connection", section: "ehr-connections",
                ConfirmRemove(clientID: found.clientID, name: found.name))
        }
    }

    func remove(req: Request) async throws -> Response {
        try await refusals(req) {
            let id = try clientID(req)
            do {
                try await connections.remove(req.useCase(try req.user()), id)
            } catch is ServiceUnavailable {
                return try await unavailable(req)
            }
            req.flash("success", "The EHR connection \(id) was removed. It gets no new tokens.")
            return req.redirect(to: "/ehr-connections")
        }
    }

    func unavailable(_ req: Request) async throws -> Response {
        try await req.notice(
            .serviceUnavailable, title: "EHR connections are unavailable",
            message: "We could not reach the sign-in service just now. Nothing was changed; please try again.",
            section: "ehr-connections", retry: req.method == .GET,
            link: ("/ehr-connections", "Back to EHR connections"))
    }
}
