import Foundation
import OSSDomain
import Vapor
import Vocabulary

extension HandoffController {
    /// Puts the grant to change `careRequest` in the signed-in user's session (a URL alone never opens a change
    /// page) and goes to the page for `intent`. The grant names the handoff, whose return URL leads back.
    func changePage(_ req: Request, _ handoff: Handoff, _ intent: HandoffIntent, _ careRequest: CareRequestID)
        -> Response
    {
        ChangeGrant.give(req.webSession, careRequest: careRequest, handoff: handoff.id)
        let page = intent == .cancel ? "cancel" : "reschedule"
        return req.redirect(to: app.path("/requests/\(careRequest.wire)/\(page)"))
    }

    /// The start page's way back to Express with nothing done: nothing created, or the request unchanged.
    func leaveURL(_ handoff: Handoff) -> String {
        let expressURL = service.config.expressURL
        guard let change = handoff.change else {
            return WayBack.express(handoff.returnURL, expressURL: expressURL, outcome: "cancelled")
        }
        return WayBack.express(
            handoff.returnURL, expressURL: expressURL, outcome: "unchanged", careRequest: change.careRequest)
    }
}
