import Foundation
import OSSDomain
import Platform
import Vapor
import Vocabulary

/// The patients' app at `/`: start a request, see "My requests", and a confirmation (and calendar file) for each.
struct DirectController: RouteCollection {
    let app: FlowApp
    let service: OSSService

    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: home)
        routes.post("drafts", use: start)
        routes.get("requests", use: requests)
        routes.get("requests", ":id", use: request)
        routes.get("requests", ":id", "calendar.ics", use: calendar)
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

    /// The signed-in patient's own care request `id` from Station, or nil (audited as `action` refused) when the
    /// id is not one, they have no requests yet, or it is someone else's: each looks the same to them.
    func ownRequest(_ req: Request, action: String) async throws -> CareRequestDetail? {
        let user = try req.requireFlowUser()
        let raw = req.parameters.get("id") ?? ""
        if let id = CareRequestID(wire: raw), let patient = try await service.linkedPatient(of: try account(user)),
            let found = try await service.downstream.station.careRequest(id), found.patient == patient
        {
            return found
        }
        await service.audit(
            action, actor: user.owner.actor, partner: nil, subject: CareRequestID(wire: raw)?.wire ?? "invalid",
            outcome: "not_found", request: req)
        return nil
    }

    func notFound(_ req: Request) async throws -> Response {
        try await req.ossNotice(
            .notFound, app: app, title: "Request not found", message: "We could not find this request.",
            linkURL: app.path("/requests"), linkText: "My requests")
    }

    /// The patient's identity account: the direct app signs in patients only.
    func account(_ user: FlowUser) throws -> String {
        guard let account = user.account else { throw Abort(.unauthorized) }
        return account
    }
}
