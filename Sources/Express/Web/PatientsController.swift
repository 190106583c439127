import ExpressDomain
import Foundation
import Platform
import Vapor
import Vocabulary

/// Search the partner's patients and start a care request for one of them.
struct PatientsController: RouteCollection {
    let service: ExpressService

    func boot(routes: any RoutesBuilder) throws {
        routes.get("patients", use: show)
        routes.post("patients", use: search)
    }

    struct Row: Encodable {
        var id: String
        var name: String
        var dateOfBirth: String
        var phone: String?
        var mrn: String?
    }

    struct Context: Encodable {
        var query: String
        var searched: Bool
        var rows: [Row]
        var nextURL: String?
        var error: String?
    }

    func render(_ req: Request, _ context: Context, status: HTTPResponseStatus = .ok) async throws -> Response {
        try await req.page("patients", title: "Patients", section: "patients", context, status: status)
    }

    /// The search form posts here (with the CSRF token): the text goes into the session and the browser on
    /// to the results by the search's random id.
    func search(req: Request) async throws -> Response {
        let query = ((try? req.content.get(String.self, at: "q")) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !query.isEmpty else { return req.redirect(to: "/patients") }
        guard query.count <= 100 else {
            return try await render(
                req,
                Context(
                    query: String(query.prefix(100)), searched: false, rows: [], nextURL: nil,
                    error: "Search with at most 100 characters."), status: .badRequest)
        }
        let search = PatientSearch(query: query)
        search.save(req.webSession)
        return req.redirect(to: search.path())
    }

    /// The empty form, or a page of the session's current search.
    func show(req: Request) async throws -> Response {
        let user = try req.user()
        guard let searchID = req.query[String.self, at: "search"] else {
            return try await render(req, Context(query: "", searched: false, rows: [], nextURL: nil, error: nil))
        }
        guard var search = PatientSearch.current(req.webSession, id: searchID) else {
            return try await render(
                req,
                Context(
                    query: "", searched: false, rows: [], nextURL: nil,
                    error: "That search has ended. Search again."), status: .badRequest)
        }
        var cursor: String?
        if let token = req.query[String.self, at: "page"] {
            guard let known = search.pages[token] else {
                return try await render(
                    req,
                    Context(
                        query: search.query, searched: false, rows: [], nextURL: nil,
                        error: "That page link is not valid. Search again."), status: .badRequest)
            }
            cursor = known
        }
        let page: PatientPage
        do {
            page = try await SearchPatients(service: service)(
                req.useCase(user), query: search.query, cursor: cursor, limit: user.pageSize)
        } catch let error as DownstreamBadRequest {
            return try await render(
                req, Context(query: search.query, searched: false, rows: [], nextURL: nil, error: error.detail),
                status: .badRequest)
        } catch let error as ServiceUnavailable {
            req.logger.warning("downstream unavailable", metadata: ["service": .string(error.service)])
            return try await req.notice(
                .serviceUnavailable, title: "Patient search is unavailable right now",
                message: "We could not reach our scheduling system. Please try again in a moment.", section: "patients",
                retry: true)
        }
        await service.track(TrackedEvent(.patientsSearched, [.results: .int(page.items.count)]), user: user.acting)
        let rows = page.items.map {
            Row(id: $0.id.wire, name: $0.name, dateOfBirth: $0.dateOfBirth, phone: $0.phone, mrn: $0.mrn)
        }
        var next: String?
        if let cursor = page.nextCursor {
            next = search.path(page: search.token(for: cursor))
            search.save(req.webSession)
        }
        return try await render(
            req, Context(query: search.query, searched: true, rows: rows, nextURL: next, error: nil))
    }
}
