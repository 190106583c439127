import Foundation
import OSSDomain
import Platform
import Vapor
import Vocabulary

/// `/people`: whom a patient account schedules visits for (``Person``): the account holder and family members,
/// each added and removed here and audited (ids only: a person's name never leaves the page).
struct PeopleController: RouteCollection {
    let app: FlowApp
    let service: OSSService

    func boot(routes: any RoutesBuilder) throws {
        routes.get("people", use: list)
        routes.get("people", "new", use: showNew)
        routes.post("people", "new", use: add)
        routes.post("people", ":person", "remove", use: remove)
    }

    struct Row: Encodable {
        var id: String
        var name: String
        var family: Bool
    }

    struct List: Encodable {
        var rows: [Row]
        var supportPhone: String
    }

    struct NewForm: Encodable {
        /// The account has nobody yet: the first question after sign-in.
        var first: Bool
        /// Nobody is "Myself" yet, so the form asks whether the account holder is one of the people.
        var offersMyself: Bool
        var myselfChecked = false
        var familyChecked = false
        var familyName = ""
        var error: String?
        /// A booking link's slot (wire text): once the people are saved, the link goes on.
        var slot: String?
    }

    func list(req: Request) async throws -> Response {
        let people = try await service.people(of: try account(req))
        return try await req.ossPage(
            "people", "People you schedule for", app: app,
            List(
                rows: people.map { Row(id: $0.id.wire, name: $0.displayName, family: $0.relationship == .family) },
                supportPhone: service.config.supportPhone))
    }

    func showNew(req: Request) async throws -> Response {
        let people = try await service.people(of: try account(req))
        let slot = req.query[String.self, at: "slot"].flatMap(SlotReference.init(wire:))
        return try await form(
            req,
            NewForm(
                first: people.isEmpty, offersMyself: !people.contains { $0.relationship == .myself }, slot: slot?.wire))
    }

    func add(req: Request) async throws -> Response {
        try DraftController.checkCSRF(req)
        let user = try req.requireFlowUser()
        let account = try account(req)
        let hadPeople = !(try await service.people(of: account)).isEmpty
        let posted = (try? req.content.decode([String: String].self)) ?? [:]
        let addition = PeopleRules.addition(form: posted)
        let slot = posted["slot"].flatMap(SlotReference.init(wire:))
        switch try await service.add(addition, to: account) {
        case .failure(let refused):
            let people = try await service.people(of: account)
            return try await form(
                req,
                NewForm(
                    first: people.isEmpty, offersMyself: !people.contains { $0.relationship == .myself },
                    myselfChecked: addition.myself, familyChecked: addition.family != nil,
                    familyName: addition.family ?? "", error: refused.problem.message, slot: slot?.wire),
                status: .unprocessableEntity)
        case .success(let added):
            for person in added {
                await service.audit(
                    "people.add", actor: user.owner.actor, partner: nil, subject: person.id.wire, outcome: "added",
                    detail: person.relationship.rawValue, request: req)
            }
            if let slot { return req.redirect(to: DirectController.keeping(slot, app.path("/book"))) }
            return req.redirect(to: app.path(hadPeople ? "/people" : "/"))
        }
    }

    func remove(req: Request) async throws -> Response {
        try DraftController.checkCSRF(req)
        let user = try req.requireFlowUser()
        let raw = req.parameters.get("person") ?? ""
        let id = PersonID(wire: raw)
        var removed = false
        if let id { removed = try await service.remove(id, of: try account(req)) }
        await service.audit(
            "people.remove", actor: user.owner.actor, partner: nil, subject: id?.wire ?? "invalid",
            outcome: removed ? "removed" : "not_found", request: req)
        guard removed else {
            return try await req.ossNotice(
                .notFound, app: app, title: "Person not found", message: "This person is not on your list.",
                linkURL: app.path("/people"), linkText: "People you schedule for")
        }
        req.webSession["_flash"] = "Removed from your list. Their requests stay with our care team."
        return req.redirect(to: app.path("/people"))
    }

    private func form(_ req: Request, _ content: NewForm, status: HTTPResponseStatus = .ok) async throws -> Response {
        try await req.ossPage(
            "people-new", content.offersMyself ? "Whom do you schedule visits for?" : "Add a family member", app: app,
            content, status: status)
    }

    /// The patient's identity account: the patients' app signs in patients only.
    private func account(_ req: Request) throws -> String {
        guard let account = try req.requireFlowUser().account else { throw Abort(.unauthorized) }
        return account
    }
}
