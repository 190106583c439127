import Crypto
import Foundation
import Platform
import StationAPI
import StationDomain
import Vocabulary

extension StationAPIHandler {
    func listPartnerCareRequests(_ input: Operations.ListPartnerCareRequests.Input) async throws
        -> Operations.ListPartnerCareRequests.Output
    {
        let principal = try caller()
        let partner = try await reachablePartner(input.path.partnerId, for: principal)
        let page = try await store.listCareRequests(
            .partner(
                PartnerID(try partner.requireID()),
                phase: try input.query.phase.map { try CareRequestPhase(mapping: $0.rawValue) },
                status: try input.query.status.map { try CareRequestStatus(mapping: $0.rawValue) }),
            after: try Self.cursor(input.query.cursor, kind: .careRequests, keys: 1),
            limit: try Self.pageSize(input.query.limit))
        return .ok(.init(body: .json(try .init(page))))
    }

    func getPartnerCareRequest(_ input: Operations.GetPartnerCareRequest.Input) async throws
        -> Operations.GetPartnerCareRequest.Output
    {
        let principal = try caller()
        let partner = try await reachablePartner(input.path.partnerId, for: principal)
        let id = try Self.id(input.path.careRequestId, CareRequestID.self, name: "careRequestId")
        guard let record = try await store.careRequest(id), record.model.partnerID == partner.id else {
            throw Problem.notFound("No care request with id \(id.wire) for this partner.")
        }
        return .ok(.init(body: .json(try .init(record))))
    }

    func getCareRequest(_ input: Operations.GetCareRequest.Input) async throws -> Operations.GetCareRequest.Output {
        let principal = try caller()
        let id = try Self.id(input.path.careRequestId, CareRequestID.self, name: "careRequestId")
        // A staff user reads only the requests of the markets they work in (Console's triage detail).
        let markets = principal.partnerID == nil ? try Self.staffMarkets(principal) : .all
        guard let record = try await store.careRequest(id), principal.canReach(partner: record.model.partnerID),
            markets.allows(MarketID(record.model.marketID))
        else {
            throw Problem.notFound("No care request with id \(id.wire).")
        }
        return .ok(.init(body: .json(try .init(record))))
    }

    func listPatientCareRequests(_ input: Operations.ListPatientCareRequests.Input) async throws
        -> Operations.ListPatientCareRequests.Output
    {
        let principal = try caller()
        let id = try Self.id(input.path.patientId, PatientID.self, name: "patientId")
        guard let patient = try await store.patient(id), principal.canReach(partner: patient.partnerID?.rawValue) else {
            throw Problem.notFound("No patient with id \(id.wire).")
        }
        let page = try await store.listCareRequests(
            .patient(id), after: try Self.cursor(input.query.cursor, kind: .careRequests, keys: 1),
            limit: try Self.pageSize(input.query.limit))
        return .ok(.init(body: .json(try .init(page))))
    }

    func createCareRequest(_ input: Operations.CreateCareRequest.Input) async throws
        -> Operations.CreateCareRequest.Output
    {
        let principal = try caller()
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the care request as JSON.") }
        let key = try Self.idempotencyKey(input.headers.idempotencyKey)
        let new = try NewCareRequest(body)
        // Only a service (OSS, for Express's synthetic-monitoring user) may hide a request from every list.
        if new.synthetic, !TokenReach(principal).isService {
            throw Problem.forbidden("Only a machine token may mark a care request synthetic.")
        }
        if let partner = new.partnerID {
            guard principal.canReach(partner: partner.rawValue), try await store.partnerExists(partner) else {
                throw Problem.notFound("No partner with id \(partner.wire).")
            }
        } else if principal.partnerID != nil {
            throw Problem.validation([.init(field: "partner_id", message: "is required for a partner's token")])
        }
        let created = try await store.createCareRequest(
            new, caller: principal.callerKey, idempotencyKey: key,
            requestHash: Self.hash(body))
        return .created(
            .init(
                headers: .init(idempotentReplayed: created.replayed ? "true" : nil),
                body: .json(try .init(created.record))))
    }

    func changeCareRequestStatus(_ input: Operations.ChangeCareRequestStatus.Input) async throws
        -> Operations.ChangeCareRequestStatus.Output
    {
        let principal = try caller()
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the status change as JSON.") }
        let id = try Self.id(input.path.careRequestId, CareRequestID.self, name: "careRequestId")
        let eta = try body.eta.map { try DateInterval(validating: $0, field: "eta") }
        var errors = FieldErrors()
        Validate.text(body.reason, "reason", max: 500, multiline: true, into: &errors)
        try errors.throwIfAny()
        // The actor is whoever the token names; a body cannot speak for someone else. A partner's token reaches
        // its partner's requests; any other, the markets of a staff operation.
        let partner = principal.partnerID.map { PartnerID($0) }
        let record = try await store.changeStatus(
            id, to: try CareRequestStatus(mapping: body.to.rawValue), actor: Self.actor(principal), reason: body.reason,
            eta: eta, partner: partner.map { .some($0) } ?? .none,
            markets: partner == nil ? try Self.staffMarkets(principal) : .all,
            expected: try body.expectedStatus.map { try CareRequestStatus(mapping: $0.rawValue) })
        return .ok(.init(body: .json(try .init(record))))
    }

    /// The fingerprint of a request body, independent of key order and whitespace.
    static func hash(_ body: Components.Schemas.NewCareRequest) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let digest = SHA256.hash(data: try encoder.encode(body))
        return Secrets.hex(digest)
    }

    /// The fingerprint of an operation on one request (`"cancel <id>"`) with its body: the same key sent for
    /// another operation or another request is a different request.
    static func hash(_ operation: String, _ body: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let digest = SHA256.hash(data: Data((operation + "\n").utf8) + (try encoder.encode(body)))
        return Secrets.hex(digest)
    }

    /// The `Idempotency-Key` header, trimmed: 1 to 255 characters, no control characters (400 otherwise).
    static func idempotencyKey(_ raw: String) throws -> String {
        let key = raw.trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty, key.unicodeScalars.count <= 255,
            !key.unicodeScalars.contains(where: { Validate.isForbidden($0, multiline: false) })
        else {
            throw Problem.badRequest(
                "The Idempotency-Key header is required (1 to 255 characters, no control characters).",
                slug: "idempotency-key-missing")
        }
        return key
    }
}
