import Vapor

/// The dispatch board (owner: console-board). Mounted behind `RequireRole(.dispatcher)`.
struct BoardController: RouteCollection {
    let service: ConsoleService

    func boot(routes: any RoutesBuilder) throws {
        routes.get("board", use: board)
    }

    func board(req: Request) async throws -> Response {
        try await req.notice(
            .ok, title: "Dispatch board", message: "The dispatch board is coming soon.", section: "board")
    }
}
