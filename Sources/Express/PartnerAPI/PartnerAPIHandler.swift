import ExpressPartnerAPI
import Foundation
import Platform
import StationAPI
import Vapor

/// The JSON API for partner integrations: what a partner user sees in Express, for a bearer token of the
/// `express` tenant. Every response with PHI is audited, like the pages.
struct PartnerAPIHandler: ExpressPartnerAPI.APIProtocol {
    let service: ExpressService

    static let scopes: [String: String?] = [
        "getCapabilities": nil, "listCareRequests": nil, "getCareRequest": nil, "searchPatients": nil, "startHandoff": nil,
    ]

    struct Caller {
        var user: UserModel
        var flags: Set<FeatureFlag>
        var request: Request
    }

    /// The token's user, who must be active in Express and belong to the token's partner.
    func caller() async throws -> Caller {
        let principal = try Principal.authenticated()
        guard let raw = principal.userID, let id = UUID(uuidString: raw), let user = try await service.user(id), user.active,
              principal.partnerID == user.partnerID, let request = CurrentRequest.value else {
            throw Problem.forbidden("This token's user is not an active Express user of its partner.")
        }
        return Caller(user: user, flags: try await service.flags(user.partnerID), request: request)
    }

    func getCapabilities(_ input: ExpressPartnerAPI.Operations.GetCapabilities.Input) async throws -> ExpressPartnerAPI.Operations.GetCapabilities.Output {
        let caller = try await caller()
        return .ok(.init(body: .json(.init(partnerId: caller.user.partnerID.uuidString.lowercased(),
                                           features: caller.flags.map(\.rawValue).sorted(),
                                           canSchedule: caller.user.roleValue.canSchedule && caller.flags.contains(.ossHandoff),
                                           canManageUsers: caller.user.roleValue.canManageUsers))))
    }

    func station<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as DownstreamBadRequest {
            throw Problem.badRequest(error.detail)
        } catch is ServiceUnavailable {
            throw Problem.unavailable("Station is unavailable; retry in a moment.")
        }
    }

    func listCareRequests(_ input: ExpressPartnerAPI.Operations.ListCareRequests.Input) async throws -> ExpressPartnerAPI.Operations.ListCareRequests.Output {
        let caller = try await caller()
        guard caller.flags.contains(.stationCareRequests) else { throw Problem.forbidden("Care requests are not enabled for this partner.") }
        let limit = input.query.limit ?? 25
        guard (1...100).contains(limit) else { throw Problem.badRequest("limit must be between 1 and 100.") }
        let page = try await station {
            try await service.station.careRequests(partner: caller.user.partnerID, phase: input.query.tab == .past ? .past : .current,
                                                   cursor: input.query.cursor, limit: limit)
        }
        let creators = try await service.creators(
            of: page.items.compactMap { item in UUID(uuidString: item.id).map { ($0, item.createdByUserId) } }, partner: caller.user.partnerID)
        try await service.audit.record(AuditEntry(userID: caller.user.id, partnerID: caller.user.partnerID, action: "api.care_requests.list",
                                                  careRequestIDs: page.items.map(\.id), patientIDs: page.items.map(\.patientId),
                                                  outcome: "success"), request: caller.request)
        return .ok(.init(body: .json(.init(items: page.items.map { item in
            .init(id: item.id, patientId: item.patientId, patientName: item.patientName, status: item.status.rawValue,
                  serviceLine: item.serviceLine.name, market: item.market.name, source: item.source.rawValue, createdAt: item.createdAt,
                  createdBy: creatorName(creators[UUID(uuidString: item.id) ?? UUID()], caller: caller.user))
        }, nextCursor: page.nextCursor))))
    }

    func creatorName(_ creator: UserModel?, caller: UserModel) -> String {
        guard let creator else { return "—" }
        return creator.id == caller.id ? "You" : creator.name
    }

    func getCareRequest(_ input: ExpressPartnerAPI.Operations.GetCareRequest.Input) async throws -> ExpressPartnerAPI.Operations.GetCareRequest.Output {
        let caller = try await caller()
        guard caller.flags.contains(.stationCareRequests) else { throw Problem.forbidden("Care requests are not enabled for this partner.") }
        guard let id = UUID(uuidString: input.path.careRequestId) else { throw Problem.badRequest("careRequestId must be a UUID.") }
        guard let found = try await station({ try await service.station.careRequest(partner: caller.user.partnerID, id: id) }) else {
            try await service.audit.record(AuditEntry(userID: caller.user.id, partnerID: caller.user.partnerID, action: "api.care_request.view",
                                                      careRequestIDs: [id.uuidString.lowercased()], outcome: "not_found"), request: caller.request)
            throw Problem.notFound("No care request \(input.path.careRequestId) for this partner.")
        }
        try await service.audit.record(AuditEntry(userID: caller.user.id, partnerID: caller.user.partnerID, action: "api.care_request.view",
                                                  careRequestIDs: [found.id], patientIDs: [found.patient.id], outcome: "success"),
                                       request: caller.request)
        let creator = try await service.creators(of: [(id, found.createdByUserId)], partner: caller.user.partnerID)[id]
        let a = found.visitAddress
        return .ok(.init(body: .json(.init(
            id: found.id, patientId: found.patient.id, patientName: "\(found.patient.givenName) \(found.patient.familyName)",
            status: found.status.rawValue, serviceLine: found.serviceLine.name, market: found.market.name, source: found.source.rawValue,
            createdAt: found.createdAt, createdBy: creatorName(creator, caller: caller.user),
            timeWindowStart: found.timeWindow?.start, timeWindowEnd: found.timeWindow?.end, etaStart: found.eta?.start, etaEnd: found.eta?.end,
            visitAddress: "\(a.line1), \(a.city), \(a.state) \(a.zip)", requester: found.requester.name,
            statusHistory: found.statusHistory.map { .init(status: $0.to.rawValue, at: $0.changedAt, reason: $0.reason) }))))
    }

    /// A POST, so that the search text (a name, a birth date, a phone number) is never in a URL; the cursors it
    /// hands out are sealed for the partner (CursorSeal).
    func searchPatients(_ input: ExpressPartnerAPI.Operations.SearchPatients.Input) async throws -> ExpressPartnerAPI.Operations.SearchPatients.Output {
        let caller = try await caller()
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the search as JSON.") }
        guard (1...100).contains(body.q.count) else { throw Problem.badRequest("q must be 1 to 100 characters.") }
        let limit = body.limit ?? 25
        guard (1...100).contains(limit) else { throw Problem.badRequest("limit must be between 1 and 100.") }
        let partner = caller.user.partnerID
        let seal = CursorSeal(secret: service.config.clientSecret)
        var cursor: String?
        if let sealed = body.cursor {
            guard sealed.count <= 1024, let opened = seal.open(sealed, partner: partner) else {
                throw Problem.badRequest("cursor is not a cursor from this API.")
            }
            cursor = opened
        }
        let page = try await station {
            try await service.station.searchPatients(partner: partner, query: body.q, cursor: cursor, limit: limit)
        }
        try await service.audit.record(AuditEntry(userID: caller.user.id, partnerID: caller.user.partnerID, action: "api.patients.search",
                                                  patientIDs: page.items.map(\.id), outcome: "success"), request: caller.request)
        return .ok(.init(body: .json(.init(items: page.items.map {
            .init(id: $0.id, name: "\($0.givenName) \($0.familyName)", dateOfBirth: $0.dateOfBirth, phone: $0.phone, mrn: $0.mrn)
        }, nextCursor: try page.nextCursor.map { try seal.seal($0, partner: partner) }))))
    }

    func startHandoff(_ input: ExpressPartnerAPI.Operations.StartHandoff.Input) async throws -> ExpressPartnerAPI.Operations.StartHandoff.Output {
        let caller = try await caller()
        guard caller.user.roleValue.canSchedule else { throw Problem.forbidden("Viewers cannot start care requests.") }
        guard caller.flags.contains(.ossHandoff) else {
            throw Problem.conflict("Online scheduling is not enabled for this partner; call \(service.config.supportPhone).",
                                   slug: "handoff-disabled")
        }
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the handoff as JSON.") }
        var patient: UUID?
        if let raw = body.patientId {
            guard let id = UUID(uuidString: raw) else { throw Problem.badRequest("patient_id must be a UUID.") }
            patient = id
        }
        let user = SessionUser(id: caller.user.id!, partnerID: caller.user.partnerID, partnerName: "", role: caller.user.roleValue,
                               name: caller.user.name, email: caller.user.email, timeZone: .current, pageSize: 25,
                               synthetic: caller.user.synthetic)
        do {
            let handoff = try await NewCareRequestController.push(service, user: user, patient: patient, request: caller.request)
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
