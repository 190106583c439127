import ConsoleDomain
import Foundation
import Vapor

/// `/admin/service-lines`: every service line and a form to add one.
struct ServiceLinesController: RouteCollection {
    let service: ConsoleService

    func boot(routes: any RoutesBuilder) throws {
        routes.get("admin", "service-lines", use: list)
        routes.post("admin", "service-lines", use: create)
    }

    struct Fields: Content {
        var name: String?
        var code: String?
    }

    func list(req: Request) async throws -> Response {
        try await page(req, ServiceLineForm(), .init())
    }

    func create(req: Request) async throws -> Response {
        let fields = try req.content.decode(Fields.self)
        let form = ServiceLineForm(name: fields.name ?? "", code: fields.code ?? "")
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

    func page(_ req: Request, _ form: ServiceLineForm, _ errors: FormErrors, status: HTTPResponseStatus = .ok)
        async throws -> Response
    {
        let lines = try await AdminStation(client: try req.station()).serviceLines().sorted { $0.name < $1.name }
        return try await req.page(
            "admin-service-lines", title: "Service lines", section: "admin",
            ServiceLinesPage(
                rows: lines.map { ServiceLineRow(name: $0.name, code: $0.code ?? "") }, form: form, errors: errors),
            status: status)
    }
}
