import ExpressDomain
import Fluent
import Foundation
import Platform
import Vapor
import Vocabulary

extension CareRequestsController {
    struct DetailContext: Encodable {
        struct Step: Encodable {
            var status: String
            var at: String
            var reason: String?
        }
        struct Viewer: Encodable {
            var name: String
            var at: String
            var action: String
        }
        var id: String
        var patientName: String
        var status: String
        var statusKey: String
        var serviceLine: String
        var market: String
        var source: String
        var chiefComplaint: String
        var created: String
        var createdBy: String
        var timeWindow: String?
        var eta: String?
        var visitAddress: String
        var requester: String
        var history: [Step]
        var viewers: [Viewer]?
        /// The newest live event when the page was made: its stream resumes after it.
        var liveAfter: Int64 = 0
    }

    func detail(req: Request) async throws -> Response {
        let user = try req.user()
        let shown: ShowCareRequest.Shown
        do {
            shown = try await ShowCareRequest(service: service)(
                req.useCase(user), CareRequestAddress(req.parameters.get("id") ?? ""))
        } catch UseCaseRefusal.careRequestsOff {
            return try await req.notice(
                .notFound, title: "Care requests are not available",
                message:
                    "Care requests are not available in Express for your organization yet. Call us at \(service.config.supportPhone) to hear about your requests.",
                section: "care-requests", link: ("/care-requests", "Care requests"))
        } catch UseCaseRefusal.notFound {
            // Unknown and another partner's requests look alike (and the attempt was audited).
            return try await req.notice(
                .notFound, title: "Care request not found",
                message: "There is no care request at this address for \(user.partnerName). It may have been mistyped.",
                section: "care-requests", link: ("/care-requests", "All care requests"))
        } catch let error as ServiceUnavailable {
            return try await unavailable(req, error)
        }
        var context = try await detailContext(shown, user, withViewers: true)
        context.liveAfter = try await service.latestLiveEvent(partner: user.partnerID)
        return try await req.page(
            "care-request", title: "Care request for \(context.patientName)", section: "care-requests", context)
    }

    /// What the detail page (and its live summary) shows of `shown`; the viewers only for an admin's page.
    func detailContext(_ shown: ShowCareRequest.Shown, _ user: SessionUser, withViewers: Bool) async throws
        -> DetailContext
    {
        let request = shown.request
        let zone = user.timeZone
        let viewers = withViewers && user.role.canManageUsers ? try await viewers(of: request.id, user) : nil
        let address = request.visitAddress
        return DetailContext(
            id: request.id.wire, patientName: request.patient.name,
            status: Wording.status(request.status.rawValue), statusKey: request.status.rawValue,
            serviceLine: request.serviceLine,
            market: request.market, source: Wording.source(request.source.rawValue),
            chiefComplaint: request.chiefComplaint,
            created: Wording.exact(request.createdAt, zone: zone), createdBy: shown.createdBy,
            timeWindow: request.timeWindow.map { Wording.window($0.start, $0.end, zone: zone) },
            eta: request.eta.map { Wording.window($0.start, $0.end, zone: zone) },
            visitAddress: [address.line1, address.line2, "\(address.city), \(address.state) \(address.zip)"].compactMap
            { $0 }
            .joined(separator: ", "),
            requester: [request.requester.name, request.requester.relationship, request.requester.phone].compactMap {
                $0
            }
            .joined(separator: " · "),
            history: request.statusHistory.map {
                .init(
                    status: Wording.status($0.to.rawValue), at: Wording.exact($0.changedAt, zone: zone),
                    reason: $0.reason)
            },
            viewers: viewers)
    }

    /// Who viewed the request, for an admin: from the audit trail, newest first.
    func viewers(of id: CareRequestID, _ user: SessionUser) async throws -> [DetailContext.Viewer] {
        let events = try await service.audit.viewers(of: id, partner: user.partnerID)
        let names = try await UserModel.query(on: service.db).filter(\.$id ~~ Set(events.compactMap(\.userID))).all()
        let byID = Dictionary(uniqueKeysWithValues: names.map { ($0.id!, $0.name) })
        return events.map {
            .init(
                name: $0.userID.flatMap { byID[$0] } ?? "Unknown", at: Wording.exact($0.at, zone: user.timeZone),
                action: $0.action == "care_request.view" ? "Opened this request" : "Saw it in a list")
        }
    }
}
