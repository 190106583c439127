import Fluent
import Foundation
import Platform
import StationAPI
import Vapor

/// The partner's current and past care requests, one page at a time, and each request's detail.
struct CareRequestsController: RouteCollection {
    let service: ExpressService

    func boot(routes: any RoutesBuilder) throws {
        routes.get("care-requests", use: list)
        routes.get("care-requests", "returned", use: returned)
        routes.get("care-requests", ":id", use: detail)
    }

    struct Row: Encodable {
        var id: String
        var patientName: String
        var status: String
        var statusKey: String
        var serviceLine: String
        var market: String
        var source: String
        var createdRelative: String
        var createdExact: String
        var createdBy: String
    }

    struct ListContext: Encodable {
        var tab: String
        var rows: [Row]
        var nextURL: String?
        var firstPage: Bool
        var featureOff: Bool
    }

    func list(req: Request) async throws -> Response {
        let user = try req.user()
        let tab = req.query[String.self, at: "tab"] == "past" ? "past" : "current"
        let cursor = req.query[String.self, at: "cursor"]
        guard try await service.flags(user.partnerID).contains(.stationCareRequests) else {
            return try await req.page("care-requests", title: "Care requests", section: "care-requests",
                                      ListContext(tab: tab, rows: [], nextURL: nil, firstPage: true, featureOff: true))
        }
        let page: Components.Schemas.CareRequestPage
        do {
            page = try await service.station.careRequests(partner: user.partnerID, phase: tab == "past" ? .past : .current,
                                                          cursor: cursor, limit: user.pageSize)
        } catch is DownstreamBadRequest {
            return try await req.notice(.badRequest, title: "That page link is out of date",
                message: "The list has changed since that link was made. Start again from the first page.", section: "care-requests",
                link: ("/care-requests?tab=\(tab)", "First page"))
        } catch let error as ServiceUnavailable {
            return try await unavailable(req, error)
        }
        let creators = try await service.creators(
            of: page.items.compactMap { item in UUID(uuidString: item.id).map { ($0, item.createdByUserId) } }, partner: user.partnerID)
        try await service.audit.record(AuditEntry(userID: user.id, partnerID: user.partnerID, action: "care_requests.list",
                                                  careRequestIDs: page.items.map(\.id), patientIDs: page.items.map(\.patientId),
                                                  outcome: "success"), request: req)
        await service.track("care_requests_listed", user: user, properties: ["tab": tab, "count": "\(page.items.count)"])
        let now = service.now()
        let rows = page.items.map { item in
            Row(id: item.id, patientName: item.patientName, status: Wording.status(item.status.rawValue), statusKey: item.status.rawValue,
                serviceLine: item.serviceLine.name, market: item.market.name, source: Wording.source(item.source.rawValue),
                createdRelative: Wording.relative(item.createdAt, now: now), createdExact: Wording.exact(item.createdAt, zone: user.timeZone),
                createdBy: Self.createdBy(creators[UUID(uuidString: item.id) ?? UUID()], viewer: user))
        }
        let next = page.nextCursor.map { "/care-requests?tab=\(tab)&cursor=\($0)" }
        return try await req.page("care-requests", title: "Care requests", section: "care-requests",
                                  ListContext(tab: tab, rows: rows, nextURL: next, firstPage: cursor == nil, featureOff: false))
    }

    static func createdBy(_ creator: UserModel?, viewer: SessionUser) -> String {
        guard let creator else { return "—" }
        return creator.id == viewer.id ? "You" : creator.name
    }

    func unavailable(_ req: Request, _ error: ServiceUnavailable) async throws -> Response {
        req.logger.warning("downstream unavailable", metadata: ["service": .string(error.service), "error": .string(error.description)])
        return try await req.notice(.serviceUnavailable, title: "Care requests are unavailable right now",
            message: "We could not reach our scheduling system (\(error.service)). Nothing is lost; please try again in a moment. If it keeps happening, call us at \(service.config.supportPhone).",
            section: "care-requests", retry: true)
    }

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
    }

    func detail(req: Request) async throws -> Response {
        let user = try req.user()
        guard try await service.flags(user.partnerID).contains(.stationCareRequests) else {
            return try await req.notice(.notFound, title: "Care requests are not available",
                message: "Care requests are not available in Express for your organization yet. Call us at \(service.config.supportPhone) to hear about your requests.",
                section: "care-requests", link: ("/care-requests", "Care requests"))
        }
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { return try await notFound(req, raw: req.parameters.get("id")) }
        let found: Components.Schemas.CareRequest?
        do {
            found = try await service.station.careRequest(partner: user.partnerID, id: id)
        } catch let error as ServiceUnavailable {
            return try await unavailable(req, error)
        }
        guard let request = found else { return try await notFound(req, raw: id.uuidString.lowercased()) }
        try await service.audit.record(AuditEntry(userID: user.id, partnerID: user.partnerID, action: "care_request.view",
                                                  careRequestIDs: [request.id], patientIDs: [request.patient.id], outcome: "success"),
                                       request: req)
        let zone = user.timeZone
        let creator = try await service.creators(of: [(id, request.createdByUserId)], partner: user.partnerID)[id]
        var viewers: [DetailContext.Viewer]?
        if user.role.canManageUsers {
            let events = try await service.audit.viewers(of: id, partner: user.partnerID)
            let names = try await UserModel.query(on: service.db).filter(\.$id ~~ Set(events.compactMap(\.userID))).all()
            let byID = Dictionary(uniqueKeysWithValues: names.map { ($0.id!, $0.name) })
            viewers = events.map {
                .init(name: $0.userID.flatMap { byID[$0] } ?? "Unknown", at: Wording.exact($0.at, zone: zone),
                      action: $0.action == "care_request.view" ? "Opened this request" : "Saw it in a list")
            }
        }
        let address = request.visitAddress
        let context = DetailContext(
            id: request.id, patientName: "\(request.patient.givenName) \(request.patient.familyName)",
            status: Wording.status(request.status.rawValue), statusKey: request.status.rawValue, serviceLine: request.serviceLine.name,
            market: request.market.name, source: Wording.source(request.source.rawValue), chiefComplaint: request.chiefComplaint,
            created: Wording.exact(request.createdAt, zone: zone), createdBy: Self.createdBy(creator, viewer: user),
            timeWindow: request.timeWindow.map { Wording.window($0.start, $0.end, zone: zone) },
            eta: request.eta.map { Wording.window($0.start, $0.end, zone: zone) },
            visitAddress: [address.line1, address.line2, "\(address.city), \(address.state) \(address.zip)"].compactMap { $0 }
                .joined(separator: ", "),
            requester: [request.requester.name, request.requester.relationship, request.requester.phone].compactMap { $0 }
                .joined(separator: " · "),
            history: request.statusHistory.map {
                .init(status: Wording.status($0.to.rawValue), at: Wording.exact($0.changedAt, zone: zone), reason: $0.reason)
            },
            viewers: viewers)
        return try await req.page("care-request", title: "Care request for \(context.patientName)", section: "care-requests", context)
    }

    /// Unknown and another partner's requests look alike, and the attempt is audited.
    func notFound(_ req: Request, raw: String?) async throws -> Response {
        let user = try req.user()
        try await service.audit.record(AuditEntry(userID: user.id, partnerID: user.partnerID, action: "care_request.view",
                                                  careRequestIDs: raw.map { [String($0.prefix(64))] } ?? [], outcome: "not_found"),
                                       request: req)
        return try await req.notice(.notFound, title: "Care request not found",
            message: "There is no care request at this address for \(user.partnerName). It may have been mistyped.",
            section: "care-requests", link: ("/care-requests", "All care requests"))
    }

    /// Where OSS sends the browser back: a message for the outcome, nothing more. The query string is the
    /// browser's to write, so nothing here is recorded as fact: who created a request comes from OSS's signed
    /// callback (or Station), and analytics get the known outcome codes only.
    func returned(req: Request) async throws -> Response {
        let user = try req.user()
        let outcome = ReturnOutcome(req.query[String.self, at: "outcome"])
        var properties = ["outcome": outcome.rawValue]
        switch outcome {
        case .created:
            if let id = req.query[String.self, at: "care_request_id"].flatMap(UUID.init(uuidString:)),
               (try? await service.station.careRequest(partner: user.partnerID, id: id)) != nil {
                req.flash("success", "Your care request was created.", link: ("/care-requests/\(id.uuidString.lowercased())", "View it"))
            } else {
                req.flash("success", "Your care request was created. It will appear in the list shortly.")
            }
        case .cancelled:
            req.flash("info", "The new care request was cancelled. Nothing was created.")
        case .emergency, .needsCall:
            req.flash("error", "What was described can be an emergency: call 911 now. No care request was created.")
        case .error:
            let reason = ReturnErrorReason(req.query[String.self, at: "reason"])
            properties["reason"] = reason.rawValue
            req.flash("error", reason.message)
        case .unknown:
            req.flash("info", "Welcome back.")
        }
        await service.track("handoff_returned", user: user, properties: properties)
        return req.redirect(to: "/care-requests")
    }
}
