import ExpressDomain
import Foundation
import Vocabulary

/// What the detail page offers and says about changing the visit: the forms that hand a change over to OSS, why
/// it cannot be changed, and who made each change in its history.
extension CareRequestsController {
    /// The change forms, for a user who may schedule where online scheduling is on, while Station says the
    /// request may still be changed.
    func changes(_ request: CareRequestDetail, _ user: SessionUser, csrf: String) async throws
        -> DetailContext.Changes?
    {
        guard user.role.canSchedule, request.changeable,
            try await service.flags(user.partnerID).contains(.ossHandoff)
        else { return nil }
        return .init(csrf: csrf, reschedule: request.mayReschedule)
    }

    func changeNotice(_ request: CareRequestDetail, _ user: SessionUser, online: Bool) -> String? {
        let phone = service.config.supportPhone
        if !request.changeable, [.onRoute, .onScene].contains(request.status) {
            return "This visit has started; call us at \(phone) to change it."
        }
        if user.role.canSchedule, request.changeable, !online {
            return "To change the time of this visit or cancel it, call us at \(phone)."
        }
        if user.role.canSchedule, request.changeable, !request.mayReschedule {
            return "A nurse will call to set the time of this visit. To change it before then, call us at \(phone)."
        }
        return nil
    }

    /// "You" or the teammate's name, for an actor Station recorded that is one of the partner's users.
    func teammate(_ actor: String?, _ shown: ShowCareRequest.Shown, _ user: SessionUser) -> String? {
        guard let id = actor.flatMap(UserID.init(wire:)), let name = shown.teammates[id] else { return nil }
        return Wording.createdBy((id, name), viewer: user.id)
    }
}
