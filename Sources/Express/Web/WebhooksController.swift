import ExpressDomain
import Foundation
import Platform
import Vapor
import Vocabulary

/// Partner admins' webhook endpoints: list and add here, one endpoint and its delivery log in
/// WebhooksController+Detail. Everything goes through ``WebhookEndpoints`` (admins only, own partner only, audited).
struct WebhooksController: RouteCollection {
    let service: ExpressService

    func boot(routes: any RoutesBuilder) throws {
        routes.get("webhooks", use: list)
        routes.post("webhooks", use: add)
        routes.get("webhooks", ":id", use: show)
        routes.get("webhooks", ":id", "delete", use: confirmDelete)
        routes.post("webhooks", ":id", "delete", use: delete)
        routes.post("webhooks", ":id", "event-types", use: changeTypes)
        routes.post("webhooks", ":id", "enable", use: enable)
        routes.post("webhooks", ":id", "disable", use: disable)
        routes.post("webhooks", ":id", "rotate-secret", use: rotate)
        routes.post("webhooks", ":id", "deliveries", ":delivery", "replay", use: replay)
    }

    var endpoints: WebhookEndpoints { WebhookEndpoints(service: service) }

    /// One event type as a checkbox.
    struct TypeChoice: Encodable {
        var value: String
        var label: String
        var checked: Bool

        static func all(checked: Set<String>) -> [TypeChoice] {
            CareRequestEvent.Kind.allCases.map {
                TypeChoice(
                    value: $0.rawValue, label: WebhooksController.label($0), checked: checked.contains($0.rawValue))
            }
        }
    }

    static func label(_ kind: CareRequestEvent.Kind) -> String {
        switch kind {
        case .created: "Created"
        case .statusChanged: "Status changed"
        case .rescheduled: "Rescheduled"
        case .cancelled: "Cancelled"
        case .etaChanged: "Arrival estimate changed"
        }
    }

    struct Row: Encodable {
        var id: String
        var url: String
        var description: String
        var types: String
        var enabled: Bool
        var disabledReason: String?
    }

    struct FormValues: Encodable {
        var url = ""
        var description = ""
        var types = TypeChoice.all(checked: Set(CareRequestEvent.Kind.allCases.map(\.rawValue)))
    }

    struct Context: Encodable {
        var rows: [Row]
        var form: FormValues
        var errors: [String: String]
    }

    func render(
        _ req: Request, form: FormValues = .init(), errors: [String: String] = [:], status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let rows = try await endpoints.list(req.useCase(try req.user())).map {
            Row(
                id: $0.id.wire, url: $0.url, description: $0.description,
                types: WebhookEventTypes.sorted($0.eventTypes).map(Self.label).joined(separator: ", "),
                enabled: $0.enabled, disabledReason: $0.disabledReason)
        }
        return try await req.page(
            "webhooks", title: "Webhooks", section: "webhooks", Context(rows: rows, form: form, errors: errors),
            status: status)
    }

    /// The use case's refusals as pages: a 403 for a non-admin, a 404 for an endpoint that is not theirs.
    func refusals(_ req: Request, _ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch UseCaseRefusal.notAllowed {
            return try await req.notice(
                .forbidden, title: "Only admins manage webhooks", message: "Ask your organization's Express admin.")
        } catch UseCaseRefusal.notFound {
            return try await req.notice(
                .notFound, title: "Webhook endpoint not found", message: "There is no such endpoint for your team.",
                section: "webhooks", link: ("/webhooks", "Back to webhooks"))
        }
    }

    func list(req: Request) async throws -> Response {
        try await refusals(req) { try await render(req) }
    }

    struct AddForm: Content {
        var url: String?
        var description: String?
        var eventTypes: [String]?

        enum CodingKeys: String, CodingKey {
            case url, description
            case eventTypes = "event_types"
        }
    }

    func add(req: Request) async throws -> Response {
        try await refusals(req) {
            let input = try req.content.decode(AddForm.self)
            let chosen = input.eventTypes ?? []
            let form = FormValues(
                url: input.url ?? "", description: input.description ?? "", types: TypeChoice.all(checked: Set(chosen)))
            do {
                let made = try await endpoints.create(
                    req.useCase(try req.user()), .init(url: form.url, description: form.description, eventTypes: chosen)
                )
                return try await renderDetail(req, made.endpoint.id, secret: made.secret, status: .created)
            } catch let invalid as WebhookEndpoints.Invalid {
                return try await render(req, form: form, errors: invalid.errors, status: .unprocessableEntity)
            }
        }
    }
}
