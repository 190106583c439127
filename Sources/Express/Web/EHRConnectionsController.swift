import ExpressDomain
import Foundation
import Platform
import Vapor
import Vocabulary

/// Partner admins connect their EHRs to Station's FHIR API: list and register here, removal in
/// EHRConnectionsController+Remove. Everything goes through ``EHRConnections`` (admins only, own partner only,
/// audited); the clients themselves live at the identity provider.
struct EHRConnectionsController: RouteCollection {
    let service: ExpressService

    func boot(routes: any RoutesBuilder) throws {
        routes.get("ehr-connections", use: list)
        routes.post("ehr-connections", use: register)
        routes.get("ehr-connections", ":client_id", "remove", use: confirmRemove)
        routes.post("ehr-connections", ":client_id", "remove", use: remove)
    }

    var connections: EHRConnections { EHRConnections(service: service) }

    struct Row: Encodable {
        var clientID: String
        var name: String
        var keyIDs: String
        var registered: String
        var lastUsed: String
    }

    struct FormValues: Encodable {
        var name = ""
        var publicKey = ""
    }

    struct Context: Encodable {
        var rows: [Row]
        /// The identity provider did not answer: the list is not shown.
        var listUnavailable: Bool
        var form: FormValues
        var errors: [String: String]
    }

    static let identityDown =
        "We could not reach the sign-in service just now. Nothing was saved; your text is still here, please try again."

    func render(
        _ req: Request, form: FormValues = .init(), errors: [String: String] = [:], status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let user = try req.user()
        let zone = user.timeZone
        var status = status
        var rows: [Row] = []
        var unavailable = false
        do {
            rows = try await connections.list(req.useCase(user)).map {
                Row(
                    clientID: $0.clientID, name: $0.name, keyIDs: $0.keyIDs.joined(separator: ", "),
                    registered: Wording.exact($0.createdAt, zone: zone),
                    lastUsed: $0.lastUsedAt.map { Wording.exact($0, zone: zone) } ?? "Not yet")
            }
        } catch is ServiceUnavailable {
            unavailable = true
            status = .serviceUnavailable
        }
        return try await req.page(
            "ehr-connections", title: "EHR connections", section: "ehr-connections",
            Context(rows: rows, listUnavailable: unavailable, form: form, errors: errors), status: status)
    }

    /// The use case's refusals as pages: a 403 for a non-admin, a 404 for a connection that is not theirs.
    func refusals(_ req: Request, _ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch UseCaseRefusal.notAllowed {
            return try await req.notice(
                .forbidden, title: "Only admins connect EHRs", message: "Ask your organization's Express admin.")
        } catch UseCaseRefusal.notFound {
            return try await req.notice(
                .notFound, title: "EHR connection not found", message: "There is no such connection for your team.",
                section: "ehr-connections", link: ("/ehr-connections", "Back to EHR connections"))
        }
    }

    func list(req: Request) async throws -> Response {
        try await refusals(req) { try await render(req) }
    }

    struct RegisterForm: Content {
        var name: String?
        var publicKey: String?

        enum CodingKeys: String, CodingKey {
            case name
            case publicKey = "public_key"
        }
    }

    /// What the integrator needs, shown once the key is registered.
    struct Registered: Encodable {
        var name: String
        var clientID: String
        var keyIDs: [String]
        var tokenURL: String
        var fhirBaseURL: String
        var scopes: String
    }

    func register(req: Request) async throws -> Response {
        try await refusals(req) {
            let input = try req.content.decode(RegisterForm.self)
            let typed = FormValues(name: input.name ?? "", publicKey: input.publicKey ?? "")
            let form = EHRConnectionForm(name: typed.name, publicKey: typed.publicKey)
            let made: EHRConnection
            do {
                made = try await connections.register(req.useCase(try req.user()), form)
            } catch let invalid as EHRConnections.Invalid {
                return try await render(req, form: typed, errors: invalid.errors, status: .unprocessableEntity)
            } catch is ServiceUnavailable {
                return try await render(
                    req, form: typed, errors: ["form": Self.identityDown], status: .serviceUnavailable)
            }
            let registered = Registered(
                name: made.name, clientID: made.clientID, keyIDs: made.keyIDs, tokenURL: made.tokenURL,
                fhirBaseURL: service.config.fhirBaseURL, scopes: made.scopes.joined(separator: " "))
            return try await req.page(
                "ehr-connection", title: "EHR connected", section: "ehr-connections", registered, status: .created)
        }
    }
}
