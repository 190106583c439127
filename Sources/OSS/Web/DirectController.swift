import Foundation
import OSSDomain
import Platform
import Vapor
import Vocabulary

/// The patients' app at `/`: start a request (for whom), see "My requests", and a confirmation (and calendar file)
/// for each.
struct DirectController: RouteCollection {
    let app: FlowApp
    let service: OSSService

    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: home)
        routes.post("drafts", use: start)
        routes.get("book", use: book)
        routes.get("requests", use: requests)
        routes.get("requests", ":id", use: request)
        routes.get("requests", ":id", "calendar.ics", use: calendar)
    }

    struct Home: Encodable {
        var openDraft: String?
        /// The people to choose from, when there are several.
        var people: [Choice]
        /// The one person, when there is only one: no question to ask.
        var only: String?
        var error: String?
        /// A booking link's slot (wire text), carried to the draft the chosen person's request starts.
        var slot: String?
    }

    struct Choice: Encodable {
        var id: String
        var name: String
    }

    /// Home: start a request for one of the account's people (asking whom, when there are several); an account
    /// with nobody yet is asked first whom it schedules for.
    func home(req: Request) async throws -> Response {
        let user = try req.requireFlowUser()
        let people = try await service.people(of: try account(user))
        guard !people.isEmpty else { return req.redirect(to: app.path("/people/new")) }
        return try await homePage(req, user, people)
    }

    func homePage(
        _ req: Request, _ user: FlowUser, _ people: [Person], slot: SlotReference? = nil, error: String? = nil,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        // A booking link starts a new request: a saved one would not carry the link's time.
        let open = slot == nil ? try await service.openDraft(of: user.owner) : nil
        let content = Home(
            openDraft: open?.id.wire, people: people.map { Choice(id: $0.id.wire, name: $0.displayName) },
            only: people.count == 1 ? people[0].id.wire : nil, error: error, slot: slot?.wire)
        return try await req.ossPage("home", "Request a home visit", app: app, content, status: status)
    }

    func start(req: Request) async throws -> Response {
        try DraftController.checkCSRF(req)
        let user = try req.requireFlowUser()
        let people = try await service.people(of: try account(user))
        let slot = (try? req.content.get(String.self, at: "slot")).flatMap(SlotReference.init(wire:))
        guard !people.isEmpty else { return req.redirect(to: Self.keeping(slot, app.path("/people/new"))) }
        let chosen = (try? req.content.get(String.self, at: "person")).flatMap(PersonID.init(wire:))
        guard let person = people.first(where: { $0.id == chosen }) ?? (people.count == 1 ? people[0] : nil) else {
            return try await homePage(
                req, user, people, slot: slot, error: "Choose who this visit is for.", status: .unprocessableEntity)
        }
        return try await startDraft(req, user, for: person, wantedSlot: slot)
    }

    /// Opens a new draft for `person` (prefilled from their patient record, when they have one), keeping the window
    /// a booking link asked for, and goes to its first step.
    func startDraft(_ req: Request, _ user: FlowUser, for person: Person, wantedSlot: SlotReference?) async throws
        -> Response
    {
        var answers = Draft.Answers(person: person.id)
        answers.wantedSlot = wantedSlot
        if let linked = person.patient {
            let name = person.relationship == .myself ? user.name : person.label
            answers.patient = .existing(.init(id: linked, name: name, dateOfBirth: ""))
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
        await service.attemptTracker(draft).track(.careRequestStarted)
        return req.redirect(to: app.path("/drafts/\(draft.id.wire)/patient"))
    }

    /// The care request `id` from Station of one of the people the signed-in account schedules for, or nil (audited
    /// as `action` refused) when the id is not one, they have no requests yet, or it is anyone else's: each looks
    /// the same to them.
    func ownRequest(_ req: Request, action: String) async throws -> CareRequestDetail? {
        let user = try req.requireFlowUser()
        let raw = req.parameters.get("id") ?? ""
        let patients = try await service.people(of: try account(user)).compactMap(\.patient)
        if let id = CareRequestID(wire: raw), !patients.isEmpty,
            let found = try await service.downstream.station.careRequest(id), patients.contains(found.patient)
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
