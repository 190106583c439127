import ConsoleDomain
import Vapor
import Vocabulary

/// The start page (each staff member's first page by role) and Help.
struct HomeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: home)
        routes.get("help", use: help)
    }

    /// The first page the staff member's roles allow.
    static func startPage(for staff: StaffMember) -> String? {
        if staff.holds(.nurse) { return "/triage" }
        if staff.holds(.dispatcher) { return "/board" }
        if staff.holds(.operationsAdmin) { return "/admin/partners" }
        return nil
    }

    func home(req: Request) async throws -> Response {
        let staff = try req.staffMember
        if let start = Self.startPage(for: staff) { return req.redirect(to: start) }
        return try await req.notice(
            .forbidden, title: "No Console role",
            message: "You are signed in as \(staff.name), but your account holds no Console role (nurse, dispatcher "
                + "or operations admin). Ask an operations admin to give you one.")
    }

    func help(req: Request) async throws -> Response {
        struct Empty: Encodable {}
        return try await req.page("help", title: "Help", section: "help", Empty())
    }
}
