import ExpressDomain
import Vocabulary

/// Turns one of a partner's features on or off, for an operator (the internal API, the command line); the
/// switch and its audit event are stored together. Returns the partner's features now in effect.
struct SetFeatureFlag: Sendable {
    let service: ExpressService

    /// `origin`: where the switch came from; its partner is set to `partner`.
    func callAsFunction(_ flag: FeatureFlag, enabled: Bool, partner: PartnerID, origin: AuditContext) async throws
        -> Set<FeatureFlag>
    {
        let at = service.now()
        let log = service.audit
        let context = origin.about(user: origin.user, partner: partner)
        try await service.write { db in
            try await ExpressService.setFlag(flag, partner: partner, enabled: enabled, at: at, on: db)
            try await log.record(
                AuditEntry(action: "flags.set", outcome: "success", detail: "\(flag.rawValue)=\(enabled)"), context,
                on: db)
        }
        return try await service.flags(partner)
    }
}
