import ExpressDomain
import Foundation
import Vocabulary

/// A partner admin's EHR connections (backend clients at the identity provider): only admins, only their own
/// partner's, each registration and removal audited by client id (never the key or the name).
struct EHRConnections: Sendable {
    let service: ExpressService

    /// The form's problems by field (`name`, `public_key`), worded for the person who typed it.
    struct Invalid: Error {
        var errors: [String: String]
    }

    func permit(_ context: UseCaseContext) async throws {
        guard EHRConnectionForm.mayManage(context.user) else {
            try await service.audit.record(
                AuditEntry(action: "ehr_connections.view", outcome: "denied"), context.audit)
            throw UseCaseRefusal.notAllowed
        }
    }

    func list(_ context: UseCaseContext) async throws -> [EHRConnection] {
        try await permit(context)
        return try await service.backendClients.connections(of: context.user.partner)
    }

    /// The partner's connection with this client id; ``UseCaseRefusal/notFound`` for any other.
    func find(_ context: UseCaseContext, _ clientID: String) async throws -> EHRConnection {
        guard let found = try await list(context).first(where: { $0.clientID == clientID }) else {
            throw UseCaseRefusal.notFound
        }
        return found
    }

    func register(_ context: UseCaseContext, _ form: EHRConnectionForm) async throws -> EHRConnection {
        try await permit(context)
        guard form.problems.isEmpty else { throw Invalid(errors: form.problems) }
        let made: EHRConnection
        do {
            made = try await service.backendClients.register(
                partner: context.user.partner, name: form.name, publicKey: form.publicKey,
                registeredBy: context.user.id)
        } catch let refused as EHRConnectionRefused {
            let problem = EHRConnectionForm.problem(refused: refused.reason)
            throw Invalid(errors: [problem.field: problem.message])
        }
        try await service.audit.record(
            AuditEntry(action: "ehr_connection.registered", outcome: "success", detail: "client \(made.clientID)"),
            context.audit)
        return made
    }

    func remove(_ context: UseCaseContext, _ clientID: String) async throws {
        try await permit(context)
        do {
            try await service.backendClients.remove(clientID, of: context.user.partner)
        } catch is UnknownEHRConnection {
            throw UseCaseRefusal.notFound
        }
        try await service.audit.record(
            AuditEntry(action: "ehr_connection.removed", outcome: "success", detail: "client \(clientID)"),
            context.audit)
    }
}
