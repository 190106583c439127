import Foundation
import Vocabulary

/// Which of Station's data a verified token may reach, decided from who issued it and what it carries.
///
/// A token that names a partner reaches that partner only (the handlers check each row). A token that names no
/// partner reaches every partner, so only two kinds may lack one: a machine client's (client credentials, whose
/// scopes Identity allow-lists per client) and a staff user's holding a staff scope. A partner user of the
/// `express` tenant must name a partner; nothing of the `patients` tenant reaches partner data at all.
/// Reference data (markets, availability, service lines) holds nothing of any partner's and stays open.
package struct TokenReach: Sendable, Equatable {
    /// What an operation touches.
    package enum Operation: Sendable {
        case referenceData
        case partnerData
        /// The provider's own staff operations (triage, dispatch board, administration): never a partner's.
        case staffData
    }

    package static let staffScopes: Set<String> = ["station.dispatch", "station.admin", "station.triage"]

    /// The Identity tenant that issued the token: the last path component of its issuer.
    package var tenant: Tenant?
    /// A client-credentials token: its subject is the client itself (RFC 9068 §2.2), no user signed in.
    package var isMachine: Bool
    package var partnerID: PartnerID?
    package var scopes: Set<String>

    package init(tenant: Tenant?, isMachine: Bool, partnerID: PartnerID?, scopes: Set<String>) {
        self.tenant = tenant
        self.isMachine = isMachine
        self.partnerID = partnerID
        self.scopes = scopes
    }

    /// Reads the tenant from an issuer such as `https://id.example/staff`; nil for an issuer of no known tenant.
    package init(issuer: String, subject: String, clientID: String?, partnerID: PartnerID?, scopes: Set<String>) {
        let last = URL(string: issuer)?.lastPathComponent ?? ""
        self.init(
            tenant: Tenant(rawValue: last), isMachine: clientID.map { !$0.isEmpty && $0 == subject } ?? false,
            partnerID: partnerID, scopes: scopes)
    }

    /// A service acting for every partner (a machine client naming none): the only caller that may mark a care
    /// request synthetic, since a synthetic request leaves every list and a partner user must not hide one.
    package var isService: Bool { isMachine && partnerID == nil && tenant != .patients }

    /// Why the token may not perform `operation`, or nil when it may.
    package func refusal(for operation: Operation) -> String? {
        guard operation != .referenceData else { return nil }
        if tenant == .patients {
            return "A token of the patients tenant reaches no partner's data."
        }
        if operation == .staffData, partnerID != nil { return "Partner tokens may not use staff operations." }
        if partnerID != nil || isMachine { return nil }
        if tenant == .staff, !scopes.isDisjoint(with: Self.staffScopes) { return nil }
        if tenant == .express {
            return "A partner user's token must name its partner (partner_id)."
        }
        return "This token names no partner: only machine clients, and staff with a staff scope, act for every partner."
    }
}
