import Vapor

/// Partner and market onboarding (owner: console-admin). Mounted behind `RequireRole(.operationsAdmin)`.
struct AdminController: RouteCollection {
    let service: ConsoleService

    func boot(routes: any RoutesBuilder) throws {
        routes.get("admin", "partners", use: partners)
    }

    func partners(req: Request) async throws -> Response {
        try await req.notice(.ok, title: "Partners", message: "Partner onboarding is coming soon.", section: "admin")
    }
}
