import Fluent
import Foundation
import IdentityDomain
import IdentityManagementAPI
import Platform
import Vapor
import Vocabulary

/// EHR backend clients (SMART Backend Services), registered by Express for one partner: each authenticates at
/// the express tenant's token endpoint with a JWT signed by its own key and gets tokens for Station's FHIR API.
extension ManagementAPIHandler {
    func registerBackendClient(_ input: Operations.RegisterBackendClient.Input) async throws
        -> Operations.RegisterBackendClient.Output
    {
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the client as JSON.") }
        let tenant = try Self.tenant(input.path.tenant.rawValue)
        let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines)
        var errors: [Problem.FieldError] = []
        if PartnerID(wire: body.partnerId) == nil {
            errors.append(.init(field: "partner_id", message: "must be a partner id (a UUID)"))
        }
        if name.isEmpty { errors.append(.init(field: "name", message: "is required")) }
        guard errors.isEmpty, let partner = PartnerID(wire: body.partnerId) else { throw Problem.validation(errors) }
        let keys = try BackendClientKeySet(registering: body.publicKey)
        let client = ClientModel()
        client.id = "ehr-\(Secrets.randomToken(bytes: 12))"
        client.tenant = tenant.rawValue
        client.name = name
        // Never usable: a backend client authenticates with its key only.
        client.secretHash = Secrets.sha256Hex(Secrets.randomToken())
        client.redirectURIs = []
        client.postLogoutRedirectURIs = []
        client.grantTypes = ["client_credentials"]
        client.m2mGrants = SMARTScopes.backendClientDefault.map { "\(OIDCController.backendAudience) \($0)" }
        client.allowedScopes = []
        client.jwks = keys.json
        client.partnerID = partner.rawValue
        client.createdAt = service.now()
        client.registeredBy = body.registeredBy
        try await service.write { db in try await client.create(on: db) }
        Self.logClient("backend client registered", client)
        return .created(.init(body: .json(wire(client))))
    }

    func listBackendClients(_ input: Operations.ListBackendClients.Input) async throws
        -> Operations.ListBackendClients.Output
    {
        let tenant = try Self.tenant(input.path.tenant.rawValue)
        let partner = try Self.partner(input.query.partnerId)
        let clients = try await ClientModel.query(on: service.db).filter(\.$tenant == tenant.rawValue)
            .filter(\.$partnerID == partner.rawValue).all()
            .sorted { ($0.createdAt ?? .distantPast, $0.id ?? "") > ($1.createdAt ?? .distantPast, $1.id ?? "") }
        return .ok(.init(body: .json(.init(clients: clients.map(wire)))))
    }

    func deleteBackendClient(_ input: Operations.DeleteBackendClient.Input) async throws
        -> Operations.DeleteBackendClient.Output
    {
        let tenant = try Self.tenant(input.path.tenant.rawValue)
        let partner = try Self.partner(input.query.partnerId)
        guard let client = try await service.client(input.path.clientId, tenant: tenant), client.isBackendClient,
            client.partnerID == partner.rawValue
        else { throw Problem.notFound("This partner has no such backend client.") }
        try await service.write { db in
            try await client.delete(on: db)
            try await db.sql.delete(from: ClientAssertionJTIs.schema).where("client_id", .equal, client.id!).run()
        }
        Self.logClient("backend client removed", client)
        return .noContent(.init())
    }

    static func partner(_ raw: String) throws -> PartnerID {
        guard let partner = PartnerID(wire: raw) else { throw Problem.badRequest("partner_id must be a UUID.") }
        return partner
    }

    private func wire(_ client: ClientModel) -> Components.Schemas.BackendClient {
        let tenant = Tenant(rawValue: client.tenant) ?? .express
        return .init(
            clientId: client.id!, partnerId: client.partnerID.map { PartnerID($0).wire } ?? "", name: client.name,
            keyIds: client.jwks.map { BackendClientKeySet(stored: $0).keyIDs } ?? [],
            scopes: client.scopes(for: OIDCController.backendAudience).sorted(),
            tokenUrl: "\(service.config.issuer(tenant))/token", createdAt: client.createdAt ?? .distantPast,
            lastUsedAt: client.lastUsedAt)
    }

    /// Ids only: the client's and its partner's.
    static func logClient(_ message: Logger.Message, _ client: ClientModel) {
        var logger = Logger(label: "identity.management")
        if let trace = TraceContext.current { logger[metadataKey: "request_id"] = .string(trace.requestID) }
        logger.info(
            message,
            metadata: [
                "client_id": .string(client.id ?? ""),
                "partner_id": .string(client.partnerID.map { PartnerID($0).wire } ?? ""),
            ])
    }
}
