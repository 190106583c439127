import Foundation
import OSSDomain
import Platform
import Vapor
import Vocabulary

/// `GET /book?slot=…`: the booking link of a published window (SMART Scheduling Links, from Station's
/// `$bulk-publish`). It names a market and a start, nothing about anyone. Signed in (sign-in comes back here), the
/// patient gets a new draft keeping that window: screening still runs first, and the window step preselects it when
/// it is still offered.
extension DirectController {
    func book(req: Request) async throws -> Response {
        let user = try req.requireFlowUser()
        guard let slot = req.query[String.self, at: "slot"].flatMap(SlotReference.init(wire:)) else {
            return try await req.ossNotice(
                .badRequest, app: app, title: "This booking link is not valid",
                message: "The link does not name a time we offer. You can still request a visit and choose a time.",
                linkURL: app.path("/"), linkText: "Start a request")
        }
        let people = try await service.people(of: try account(user))
        switch people.count {
        case 0: return req.redirect(to: Self.keeping(slot, app.path("/people/new")))
        case 1: return try await startDraft(req, user, for: people[0], wantedSlot: slot)
        default: return try await homePage(req, user, people, slot: slot)
        }
    }

    /// `path` with the booking link's slot in its query, so the link's window survives the detour.
    static func keeping(_ slot: SlotReference?, _ path: String) -> String {
        guard let slot else { return path }
        var components = URLComponents()
        components.path = path
        components.queryItems = [URLQueryItem(name: "slot", value: slot.wire)]
        return components.string ?? path
    }
}
