import Vapor

/// Partner onboarding and market administration for operations admins. Mounted behind
/// `RequireRole(.operationsAdmin)`; every change goes to Station with the admin's own token and is audited.
struct AdminController: RouteCollection {
    let service: ConsoleService

    func boot(routes: any RoutesBuilder) throws {
        try routes.register(collection: PartnersController(service: service))
        try routes.register(collection: MarketsController(service: service))
        try routes.register(collection: CareTeamsController(service: service))
        try routes.register(collection: ServiceLinesController(service: service))
    }
}
