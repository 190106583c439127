import Vapor

/// The nurse triage queue (owner: console-triage). Mounted behind `RequireRole(.nurse)`.
struct TriageController: RouteCollection {
    let service: ConsoleService

    func boot(routes: any RoutesBuilder) throws {
        routes.get("triage", use: queue)
    }

    func queue(req: Request) async throws -> Response {
        try await req.notice(.ok, title: "Triage queue", message: "The triage queue is coming soon.", section: "triage")
    }
}
