import ConsoleDomain
import Foundation
import Vapor

/// `/admin/service-lines`: every service line and a form to add one.
struct ServiceLinesController: RouteCollection {
    let service: ConsoleService

    func boot(routes: any RoutesBuilder) throws {
        routes.get("admin", "service-lines", use: list)
        routes.post("admin", "service-lines", use: create)
        routes.post("admin", "service-lines", ":id", "visit-length", use: setVisitLength)
    }

    struct Fields: Content {
        var name: String?
        var code: String?
        var visitMinutes: String?

        enum CodingKeys: String, CodingKey {
            case name, code
            case visitMinutes = "visit_minutes"
        }
    }

    struct VisitLengthFields: Content {
        var visitMinutes: String?

        enum CodingKeys: String, CodingKey {
            case visitMinutes = "visit_minutes"
        }
    }

    func list(req: Request) async throws -> Response {
        try await page(req, ServiceLineForm(), .init())
    }

    func create(req: Request) async throws -> Response {
        let fields = try req.content.decode(Fields.self)
        // A form without the length (sent before lines had one) gets the usual hour; a blank one is refused.
        let form = ServiceLineForm(
            name: fields.name ?? "", code: fields.code ?? "", visitMinutes: fields.visitMinutes ?? "60")
        let decision = try await req.authorize(.manage, .market(nil), auditAction: "service_line.created")
        do {
            let line = try await AdminStation(client: try req.station()).createServiceLine(try form.validated())
            try await req.audit(
                AuditEntry("service_line.created", decisionID: decision.id, detail: "service_line \(line.id)"))
            req.flash("success", "\(line.name) was added.")
            return req.redirect(to: "/admin/service-lines")
        } catch let errors as FormErrors {
            return try await page(req, form, errors, status: .unprocessableEntity)
        } catch let problem as StationProblem where MarketsController.formProblems.contains(problem.status) {
            try await req.audit(
                AuditEntry(
                    "service_line.created", outcome: "failed", decisionID: decision.id,
                    detail: "station \(problem.status)"))
            return try await page(
                req, form, FormErrors(problem, fields: ServiceLineForm.Field.all),
                status: HTTPResponseStatus(statusCode: problem.status))
        }
    }

    /// `POST /admin/service-lines/:id/visit-length`: how long a visit of the line lasts, which the dispatch planner
    /// counts from the next plan on.
    func setVisitLength(req: Request) async throws -> Response {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:))?.uuidString.lowercased() else {
            throw Abort(.notFound)
        }
        let typed = try req.content.decode(VisitLengthFields.self).visitMinutes ?? ""
        let decision = try await req.authorize(.manage, .market(nil), auditAction: "service_line.updated")
        func refused(_ message: String, status: HTTPResponseStatus) async throws -> Response {
            try await page(
                req, ServiceLineForm(), .init(), refused: (id, typed, message), status: status)
        }
        let minutes: Int
        do {
            minutes = try ServiceLineForm.visitMinutes(typed)
        } catch {
            return try await refused(error[ServiceLineForm.Field.visitMinutes] ?? "", status: .unprocessableEntity)
        }
        do {
            let line = try await AdminStation(client: try req.station()).setVisitLength(of: id, minutes: minutes)
            try await req.audit(
                AuditEntry(
                    "service_line.updated", decisionID: decision.id,
                    detail: "service_line \(line.id) visit_minutes \(minutes)"))
            req.flash("success", "A visit of \(line.name) now lasts \(minutes) minutes.")
            return req.redirect(to: "/admin/service-lines")
        } catch let problem as StationProblem where [404, 422].contains(problem.status) {
            try await req.audit(
                AuditEntry(
                    "service_line.updated", outcome: "failed", decisionID: decision.id,
                    detail: "service_line \(id) station \(problem.status)"))
            if problem.status == 404 { throw Abort(.notFound, reason: "That service line no longer exists.") }
            let errors = FormErrors(problem, fields: [ServiceLineForm.Field.visitMinutes])
            return try await refused(
                errors[ServiceLineForm.Field.visitMinutes] ?? errors[FormErrors.form] ?? problem.message,
                status: .unprocessableEntity)
        }
    }

    /// The page; `refused` is a visit length Station or the form refused: the row's id, what was typed, and why.
    func page(
        _ req: Request, _ form: ServiceLineForm, _ errors: FormErrors,
        refused: (id: String, typed: String, message: String)? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let lines = try await AdminStation(client: try req.station()).serviceLines().sorted { $0.name < $1.name }
        return try await req.page(
            "admin-service-lines", title: "Service lines", section: "admin",
            ServiceLinesPage(
                rows: lines.map { line in
                    let mine = refused?.id == line.id ? refused : nil
                    return ServiceLineRow(
                        id: line.id, name: line.name, code: line.code ?? "",
                        visitMinutes: mine?.typed ?? line.visitMinutes.map(String.init) ?? "", error: mine?.message)
                }, form: form, errors: errors),
            status: status)
    }
}
