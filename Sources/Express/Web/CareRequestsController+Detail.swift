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
            /// "You" or the teammate who made it, when one of the partner's users did.
            var by: String?
        }
        /// "Change time" and "Cancel request": POST forms that hand the change over to OSS.
        struct Changes: Encodable {
            var csrf: String
            /// The visit has a window to move (else it may only be cancelled).
            var reschedule: Bool
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
        /// Present only for a user who may schedule, while the request may still be changed online.
        var changes: Changes?
        /// Why it cannot be changed here and whom to call, when that is the case.
        var changeNotice: String?
        /// How it was cancelled, once it was.
        var cancellation: String?
        var calendarURL: String?
        var calendarLabel: String
        /// Whether the page has anything to say or offer about changing the visit or adding it to a calendar.
        var visitSection = false
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
        var context = try await detailContext(shown, user, csrf: req.webSession.csrfToken, withViewers: true)
        context.liveAfter = try await service.latestLiveEvent(partner: user.partnerID)
        return try await req.page(
            "care-request", title: "Care request for \(context.patientName)", section: "care-requests", context)
    }

    /// What the detail page (and its live summary) shows of `shown`; the viewers only for an admin's page.
    /// `csrf` is the session's token, for the change forms the summary carries.
    func detailContext(_ shown: ShowCareRequest.Shown, _ user: SessionUser, csrf: String, withViewers: Bool)
        async throws -> DetailContext
    {
        let request = shown.request
        let zone = user.timeZone
        let viewers = withViewers && user.role.canManageUsers ? try await viewers(of: request.id, user) : nil
        let address = request.visitAddress
        let changes = try await changes(request, user, csrf: csrf)
        var context = DetailContext(
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
                    reason: $0.reason, by: teammate($0.actor, shown, user))
            },
            viewers: viewers, changes: changes,
            changeNotice: changeNotice(request, user, online: changes != nil),
            cancellation: request.cancellation.map {
                "Cancelled \(Wording.exact($0.cancelledAt, zone: zone))\(teammate($0.actor, shown, user).map { " by \($0)" } ?? ""): \($0.reason.label).\($0.note.map { " “\($0)”" } ?? "")"
            },
            calendarURL: request.timeWindow == nil ? nil : "/care-requests/\(request.id.wire)/calendar.ics",
            calendarLabel: request.isCancelled ? "Remove from calendar (.ics)" : "Add to calendar (.ics)")
        context.visitSection = context.changes != nil || context.changeNotice != nil || context.calendarURL != nil
        return context
    }

    /// Who viewed the request, for an admin: from the audit trail, newest first.
    func viewers(of id: CareRequestID, _ user: SessionUser) async throws -> [DetailContext.Viewer] {
        let events = try await service.audit.viewers(of: id, partner: user.partnerID)
        let names = try await UserModel.query(on: service.db).filter(\.$id ~~ Set(events.compactMap(\.userID))).all()
        let byID = Dictionary(uniqueKeysWithValues: names.map { ($0.id!, $0.name) })
        return events.map {
            .init(
                name: $0.userID.flatMap { byID[$0] } ?? "Unknown", at: Wording.exact($0.at, zone: user.timeZone),
                action: Self.viewerAction($0.action))
        }
    }

    /// A look at the request in the audit trail, in words.
    static func viewerAction(_ action: String) -> String {
        switch action {
        case "care_request.view": "Opened this request"
        case "care_request.calendar": "Downloaded its calendar file"
        case "care_request.change_start": "Started a change"
        default: "Saw it in a list"
        }
    }
}
