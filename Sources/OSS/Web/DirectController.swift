import Foundation
import OSSDomain
import Platform
import Vapor
import Vocabulary

/// The patients' app at `/`: start a request, see "My requests", and a confirmation for each.
struct DirectController: RouteCollection {
    let app: FlowApp
    let service: OSSService

    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: home)
        routes.post("drafts", use: start)
        routes.get("requests", use: requests)
        routes.get("requests", ":id", use: request)
    }

    struct Home: Encodable {
        var openDraft: String?
    }

    func home(req: Request) async throws -> Response {
        let user = try req.requireFlowUser()
        let open = try await service.openDraft(of: user.owner)
        return try await req.ossPage("home", "Request a home visit", app: app, Home(openDraft: open?.id.wire))
    }

    func start(req: Request) async throws -> Response {
        try DraftController.checkCSRF(req)
        let user = try req.requireFlowUser()
        var answers = Draft.Answers()
        if let linked = try await service.linkedPatient(of: try account(user)) {
            answers.patient = .existing(.init(id: linked, name: user.name, dateOfBirth: ""))
            if let patient = try? await service.downstream.station.patient(linked) {
                answers.patient = .existing(
                    .init(
                        id: linked, name: "\(patient.givenName) \(patient.familyName)", dateOfBirth: patient.dateOfBirth
                    ))
                answers.address = patient.address.map {
                    .init(line1: $0.line1, city: $0.city, state: $0.state, zip: $0.zip)
                }
            }
        }
        let draft = Draft(
            id: .random(), audience: .direct, owner: user.owner, answers: answers, createdAt: service.now())
        try await service.create(draft)
        return req.redirect(to: app.path("/drafts/\(draft.id.wire)/patient"))
    }

    struct RequestRow: Encodable {
        var id: String
        var status: String
        var created: String
        var reason: String?
    }

    struct Requests: Encodable {
        var rows: [RequestRow]
        var linked: Bool
    }

    func requests(req: Request) async throws -> Response {
        let user = try req.requireFlowUser()
        guard let patient = try await service.linkedPatient(of: try account(user)) else {
            return try await req.ossPage("requests", "My requests", app: app, Requests(rows: [], linked: false))
        }
        let items: [CareRequestSummary]
        do {
            items = try await service.downstream.station.careRequests(of: patient, cursor: nil, limit: 25).items
        } catch is Unavailable {
            return try await req.ossNotice(
                .serviceUnavailable, app: app, title: "Your requests are unavailable right now",
                message: "We could not reach our scheduling system. Please try again in a moment.", linkURL: nil,
                linkText: nil, retry: true)
        }
        let zones = items.isEmpty ? [:] : await Self.marketTimeZones(service)
        return try await req.ossPage(
            "requests", "My requests", app: app,
            Requests(
                rows: items.map {
                    RequestRow(
                        id: $0.id.wire, status: Self.status($0.status.rawValue),
                        created: DateText.string(
                            $0.createdAt, "MMM d, yyyy", zone: zones[$0.market] ?? Self.fallbackZone), reason: nil)
                }, linked: true))
    }

    /// Each market's time zone by market id, from Station; empty if Station cannot say.
    static func marketTimeZones(_ service: OSSService) async -> [MarketID: TimeZone] {
        guard let markets = try? await service.downstream.station.markets() else { return [:] }
        return Dictionary(
            markets.compactMap { m in TimeZone(identifier: m.timeZone).map { (m.id, $0) } },
            uniquingKeysWith: { a, _ in a })
    }

    /// Used only when Station's market list is unavailable: the zone of most of our markets.
    static let fallbackZone = TimeZone(identifier: "America/Denver")!

    static func status(_ raw: String) -> String {
        switch raw {
        case "pending_triage": "A nurse will call you"
        case "requested": "Requested"
        case "accepted": "Accepted"
        case "scheduled": "Scheduled"
        case "on_route": "On the way"
        case "on_scene": "With you"
        case "complete": "Complete"
        case "archived": "Closed"
        default: raw
        }
    }

    struct Confirmation: Encodable {
        var created: Bool
        var status: String
        var statusKey: String
        var reason: String
        var window: String?
        var address: String
    }

    func request(req: Request) async throws -> Response {
        let user = try req.requireFlowUser()
        guard let id = req.parameters.get("id").flatMap(CareRequestID.init(wire:)),
            let patient = try await service.linkedPatient(of: try account(user))
        else { throw Abort(.notFound) }
        guard let found = try await service.downstream.station.careRequest(id), found.patient == patient else {
            await service.audit(
                "care_request.view", actor: user.owner.actor, partner: nil, subject: id.wire, outcome: "not_found",
                request: req)
            return try await req.ossNotice(
                .notFound, app: app, title: "Request not found", message: "We could not find this request.",
                linkURL: app.path("/requests"), linkText: "My requests")
        }
        var window: String?
        if let w = found.timeWindow {
            // The visit's time reads in its market's zone, as Station keeps it.
            let zone = await Self.marketTimeZones(service)[found.market] ?? Self.fallbackZone
            window =
                "\(DateText.string(w.start, "EEEE, MMMM d, h:mm a", zone: zone)) – \(DateText.string(w.end, "h:mm a zzz", zone: zone))"
        }
        let a = found.visitAddress
        return try await req.ossPage(
            "confirmation", "Your request", app: app,
            Confirmation(
                created: req.query[String.self, at: "created"] == "1", status: Self.status(found.status.rawValue),
                statusKey: found.status.rawValue,
                reason: found.chiefComplaint, window: window, address: "\(a.line1), \(a.city), \(a.state) \(a.zip)"))
    }

    /// The patient's identity account: the direct app signs in patients only.
    private func account(_ user: FlowUser) throws -> String {
        guard let account = user.account else { throw Abort(.unauthorized) }
        return account
    }
}
