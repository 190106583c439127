import ConsoleDomain
import Foundation
import Vapor
import Vocabulary

/// A market's closed days: add one (a day with bookings is refused with the bookings listed) or open it again.
extension MarketsController {
    struct ClosureFields: Content {
        var date: String?
        var reason: String?
    }

    func addClosure(req: Request) async throws -> Response {
        let (id, station) = try Self.marketAndStation(req)
        let fields = try req.content.decode(ClosureFields.self)
        let form = ClosureForm(date: fields.date ?? "", reason: fields.reason ?? "")
        let decision = try await req.authorize(.manage, .market(id), auditAction: "closure.added")
        do {
            let closure = try form.validated()
            try await station.addClosure(id, closure)
            try await req.audit(
                AuditEntry(
                    "closure.added", decisionID: decision.id, detail: "market \(id.wire) date \(closure.date.iso)"))
            req.flash("success", "The market is closed on \(closure.date.iso).")
            return req.redirect(to: "/admin/markets/\(id.wire)#closures")
        } catch let errors as FormErrors {
            return try await closurePage(req, station, id, form, errors, status: .unprocessableEntity)
        } catch let problem as StationProblem where Self.formProblems.contains(problem.status) {
            try await req.audit(
                AuditEntry(
                    "closure.added", outcome: "failed", decisionID: decision.id,
                    detail: "market \(id.wire) station \(problem.status)"))
            return try await closurePage(
                req, station, id, form, FormErrors(problem, fields: ClosureForm.Field.all, conflictField: "date"),
                affected: problem.affectedCareRequests.map(\.wire),
                status: HTTPResponseStatus(statusCode: problem.status))
        }
    }

    func removeClosure(req: Request) async throws -> Response {
        let (id, station) = try Self.marketAndStation(req)
        guard let date = req.parameters.get("date").flatMap(LocalDate.init(iso:)) else {
            throw StationProblem(status: 404, nil)
        }
        let decision = try await req.authorize(.manage, .market(id), auditAction: "closure.removed")
        try await station.removeClosure(id, on: date.iso)
        try await req.audit(
            AuditEntry("closure.removed", decisionID: decision.id, detail: "market \(id.wire) date \(date.iso)"))
        req.flash("success", "The market is open again on \(date.iso).")
        return req.redirect(to: "/admin/markets/\(id.wire)#closures")
    }

    /// The edit page with the market as Station has it and the closure form as typed.
    func closurePage(
        _ req: Request, _ station: AdminStation, _ id: MarketID, _ form: ClosureForm, _ errors: FormErrors,
        affected: [String] = [], status: HTTPResponseStatus
    ) async throws -> Response {
        let market = try await station.market(id)
        var page = MarketPage(heading: market.name, form: MarketForm(market), errors: .init())
        (page.closureForm, page.closureErrors, page.closureAffected) = (form, errors, affected)
        return try await editPage(req, station, id, page, status: status)
    }
}
