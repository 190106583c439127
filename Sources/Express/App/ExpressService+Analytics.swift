import ExpressDomain
import Platform
import Vocabulary

/// Product analytics through Platform's ``Tracker``: ids, counts and known values only. Synthetic monitoring is
/// not people using the product, so nothing of it is sent.
extension ExpressService {
    /// `event` done by a partner user, for their partner.
    func track(_ event: TrackedEvent, user: ActingUser) async {
        guard !user.synthetic else { return }
        await tracker.track(event, by: .user(user.id.wire), partner: user.partner)
    }

    /// After sign-in: who the user is (their role, never a name or email) and that they belong to their partner.
    func identify(_ user: ActingUser) async {
        guard !user.synthetic else { return }
        await tracker.identify(.user(user.id.wire), roles: [user.role.rawValue], partner: user.partner)
        await tracker.group(.user(user.id.wire), partner: user.partner)
    }

    /// A page that tells the user to phone instead of scheduling online.
    func phonePageShown(_ reason: PhonePageReason, user: ActingUser, intent: HandoffIntent = .new) async {
        await track(
            TrackedEvent(.phonePageShown, [.reason: .string(reason.rawValue), .intent: .string(intent.rawValue)]),
            user: user)
    }
}
