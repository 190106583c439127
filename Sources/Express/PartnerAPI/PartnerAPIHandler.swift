import ExpressDomain
import ExpressPartnerAPI
import Foundation
import Platform
import Vapor
import Vocabulary

/// The JSON API for partner integrations: what a partner user sees in Express, for a bearer token of the
/// `express` tenant, through the same use cases as the pages. Every response with PHI is audited, like the pages.
struct PartnerAPIHandler: ExpressPartnerAPI.APIProtocol {
    let service: ExpressService

    static let scopes: [String: String?] = [
        "getCapabilities": nil, "listCareRequests": nil, "getCareRequest": nil, "searchPatients": nil,
        "startHandoff": nil, "listWebhookEndpoints": nil, "createWebhookEndpoint": nil, "getWebhookEndpoint": nil,
        "updateWebhookEndpoint": nil, "deleteWebhookEndpoint": nil, "rotateWebhookEndpointSecret": nil,
        "listWebhookDeliveries": nil, "replayWebhookDelivery": nil,
    ]

    /// The token's user, who must be active in Express and belong to the token's partner.
    func caller() async throws -> UseCaseContext {
        let principal = try Principal.authenticated()
        guard let id = principal.userID.flatMap(UserID.init(wire:)), let user = try await service.user(id), user.active,
            principal.partnerID == user.partnerID, let request = CurrentRequest.value
        else {
            throw Problem.forbidden("This token's user is not an active Express user of its partner.")
        }
        return UseCaseContext(
            user: ActingUser(id: id, partner: user.partner, role: user.roleValue, synthetic: user.synthetic),
            channel: .partnerAPI, requestID: request.id, client: request.remoteAddress?.ipAddress ?? "unknown",
            logger: request.logger)
    }

    func getCapabilities(_ input: Operations.GetCapabilities.Input) async throws -> Operations.GetCapabilities.Output {
        let caller = try await caller()
        let flags = try await service.flags(caller.user.partner)
        return .ok(
            .init(
                body: .json(
                    .init(
                        partnerId: caller.user.partner.wire, features: flags.map(\.rawValue).sorted(),
                        canSchedule: caller.user.role.canSchedule && flags.contains(.ossHandoff),
                        canManageUsers: caller.user.role.canManageUsers))))
    }

    /// A use case's refusals and Station's failures as problem+json.
    func problems<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch UseCaseRefusal.careRequestsOff {
            throw Problem.forbidden("Care requests are not enabled for this partner.")
        } catch UseCaseRefusal.invalidLimit {
            throw Problem.badRequest("limit must be between 1 and 100.")
        } catch let error as DownstreamBadRequest {
            throw Problem.badRequest(error.detail)
        } catch is ServiceUnavailable {
            throw Problem.unavailable("Station is unavailable; retry in a moment.")
        }
    }

    func listCareRequests(_ input: Operations.ListCareRequests.Input) async throws -> Operations.ListCareRequests.Output
    {
        let caller = try await caller()
        let listed = try await problems {
            try await ListCareRequests(service: service)(
                caller, phase: input.query.tab == .past ? .past : .current, cursor: input.query.cursor,
                limit: input.query.limit ?? 25)
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: listed.rows.map { .init($0.request, createdBy: $0.createdBy) },
                        nextCursor: listed.nextCursor))))
    }

    func getCareRequest(_ input: Operations.GetCareRequest.Input) async throws -> Operations.GetCareRequest.Output {
        let caller = try await caller()
        let raw = input.path.careRequestId
        let shown: ShowCareRequest.Shown
        do {
            shown = try await problems { try await ShowCareRequest(service: service)(caller, CareRequestAddress(raw)) }
        } catch UseCaseRefusal.malformedID {
            throw Problem.badRequest("careRequestId must be a UUID.")
        } catch UseCaseRefusal.notFound {
            throw Problem.notFound("No care request \(raw) for this partner.")
        }
        return .ok(.init(body: .json(.init(shown.request, createdBy: shown.createdBy))))
    }

    /// A POST, so that the search text (a name, a birth date, a phone number) is never in a URL; the cursors it
    /// hands out are sealed for the partner (CursorSeal).
    func searchPatients(_ input: Operations.SearchPatients.Input) async throws -> Operations.SearchPatients.Output {
        let caller = try await caller()
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the search as JSON.") }
        guard (1...100).contains(body.q.count) else { throw Problem.badRequest("q must be 1 to 100 characters.") }
        let limit = body.limit ?? 25
        guard (1...100).contains(limit) else { throw Problem.badRequest("limit must be between 1 and 100.") }
        let partner = caller.user.partner
        let seal = CursorSeal(secret: service.config.clientSecret)
        var cursor: String?
        if let sealed = body.cursor {
            guard sealed.count <= 1024, let opened = seal.open(sealed, partner: partner) else {
                throw Problem.badRequest("cursor is not a cursor from this API.")
            }
            cursor = opened
        }
        let page = try await problems {
            try await SearchPatients(service: service)(caller, query: body.q, cursor: cursor, limit: limit)
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: page.items.map(Components.Schemas.Patient.init),
                        nextCursor: try page.nextCursor.map { try seal.seal($0, partner: partner) }))))
    }

    func startHandoff(_ input: Operations.StartHandoff.Input) async throws -> Operations.StartHandoff.Output {
        let caller = try await caller()
        let startHandoff = StartHandoff(service: service)
        let permit: StartHandoff.Permit
        do {
            permit = try await startHandoff.permit(caller.user)
        } catch UseCaseRefusal.notAllowed {
            throw Problem.forbidden("Viewers cannot start care requests.")
        } catch UseCaseRefusal.onlineSchedulingOff {
            throw Problem.conflict(
                "Online scheduling is not enabled for this partner; call \(service.config.supportPhone).",
                slug: "handoff-disabled")
        }
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the handoff as JSON.") }
        var patient: PatientID?
        if let raw = body.patientId {
            guard let id = PatientID(wire: raw) else { throw Problem.badRequest("patient_id must be a UUID.") }
            patient = id
        }
        do {
            let handoff = try await startHandoff(permit, patient: patient, context: caller).handoff
            return .created(.init(body: .json(.init(startUrl: handoff.startURL, expiresAt: handoff.expiresAt))))
        } catch is ServiceUnavailable {
            throw Problem.unavailable("Online scheduling is unavailable; retry in a moment.")
        }
    }
}

/// The Vapor request behind a generated-API call, for audit (client address, request id).
enum CurrentRequest {
    @TaskLocal static var value: Request?
}

struct CurrentRequestMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try await CurrentRequest.$value.withValue(request) { try await next.respond(to: request) }
    }
}
