import Vocabulary

/// Who asks, in the words of the tokens: a partner user, a direct patient or a staff member.
package struct Actor: Sendable, Equatable {
    package var tenant: Tenant
    /// The Express user id of a partner user, the account of a patient, the subject of a staff member.
    package var userID: String?
    package var partnerID: PartnerID?
    /// What a partner user may do at their partner (the rules read them for the `express` tenant only).
    package var partnerRoles: Set<PartnerRole>
    /// What a staff member does (the rules read them for the `staff` tenant only).
    package var staffRoles: Set<StaffRole>

    package init(
        tenant: Tenant, userID: String? = nil, partnerID: PartnerID? = nil, partnerRoles: Set<PartnerRole> = [],
        staffRoles: Set<StaffRole> = []
    ) {
        self.tenant = tenant
        self.userID = userID
        self.partnerID = partnerID
        self.partnerRoles = partnerRoles
        self.staffRoles = staffRoles
    }
}

package enum Action: String, Sendable, CaseIterable {
    case read, create, schedule, update, dispatch, manage
}

package struct Resource: Sendable, Equatable {
    package enum Kind: String, Sendable {
        case patient
        case careRequest = "care_request"
        case partnerUsers = "partner_users"
        /// A partner organisation as the provider sets it up (onboarding, its markets and flags).
        case partner
        /// A market: its ZIP codes, hours, capacity and closures.
        case market
    }

    package var kind: Kind
    package var id: String?
    package var partnerID: PartnerID?
    /// For a direct patient's record: the account it belongs to.
    package var ownerUserID: String?
    /// For a direct patient's record: the patient accounts that schedule for this patient (the person themselves
    /// and family members who linked the record to their account).
    package var managingAccounts: [String]

    package init(
        kind: Kind, id: String? = nil, partnerID: PartnerID? = nil, ownerUserID: String? = nil,
        managingAccounts: [String] = []
    ) {
        self.kind = kind
        self.id = id
        self.partnerID = partnerID
        self.ownerUserID = ownerUserID
        self.managingAccounts = managingAccounts
    }
}

/// The outcome of one check: allowed or not, and why, in words an auditor can read.
package struct Verdict: Sendable, Equatable {
    package var allowed: Bool
    package var reason: String

    static func allow(_ reason: String) -> Verdict { Verdict(allowed: true, reason: reason) }
    static func deny(_ reason: String) -> Verdict { Verdict(allowed: false, reason: reason) }
}

/// The access rules, versioned so every decision names the rules it was made by.
///
/// Deny by default: only what a rule below allows is allowed.
package enum AccessRules {
    package static let version = "2026-11-30.3"

    package static func decide(_ actor: Actor, _ action: Action, _ resource: Resource) -> Verdict {
        switch actor.tenant {
        case .express: partnerUser(actor, action, resource)
        case .patients: patient(actor, action, resource)
        case .staff: staff(actor, action, resource)
        }
    }

    static func partnerUser(_ actor: Actor, _ action: Action, _ resource: Resource) -> Verdict {
        guard let partner = actor.partnerID else { return .deny("partner user without a partner") }
        let roles = actor.partnerRoles
        guard !roles.isEmpty else { return .deny("partner user without a partner role") }
        guard resource.partnerID == partner else { return .deny("resource belongs to another partner or to none") }
        switch (action, resource.kind) {
        case (.read, .patient), (.read, .careRequest):
            return .allow("partner user reads own partner's data")
        case (.create, .patient), (.schedule, .patient), (.create, .careRequest):
            return !roles.contains(where: \.canSchedule)
                ? .deny("only admins and schedulers create care requests")
                : .allow(
                    "partner \(roles.contains(.admin) ? "admin" : "scheduler") schedules for own partner's patient")
        case (.update, .careRequest):
            return !roles.contains(where: \.canSchedule)
                ? .deny("only admins and schedulers change or cancel care requests")
                : .allow("partner \(roles.contains(.admin) ? "admin" : "scheduler") changes own partner's care request")
        case (.read, .partnerUsers), (.manage, .partnerUsers):
            return roles.contains(where: \.canManageUsers)
                ? .allow("partner admin manages own partner's users")
                : .deny("only admins manage users")
        default:
            return .deny("partner users may not \(action.rawValue) a \(resource.kind.rawValue)")
        }
    }

    static func patient(_ actor: Actor, _ action: Action, _ resource: Resource) -> Verdict {
        guard let user = actor.userID else { return .deny("patient without a user id") }
        switch resource.kind {
        case .patient, .careRequest: break
        case .partnerUsers: return .deny("patients do not manage users")
        case .partner, .market: return .deny("patients do not set up partners or markets")
        }
        guard resource.partnerID == nil else { return .deny("a partner's record is not a patient's own") }
        if resource.kind == .patient, action == .create { return .allow("a patient creates their own record") }
        switch action {
        case .read, .create, .schedule, .update: break
        case .dispatch, .manage: return .deny("patients may not \(action.rawValue)")
        }
        if resource.ownerUserID == user { return .allow("a patient acts on their own record") }
        if resource.managingAccounts.contains(user) {
            return .allow("a patient account acts for a person it schedules for")
        }
        return .deny("patient accounts act only for the people linked to them")
    }

    static func staff(_ actor: Actor, _ action: Action, _ resource: Resource) -> Verdict {
        let roles = actor.staffRoles
        guard !roles.isEmpty else { return .deny("staff member without a staff role") }
        switch (action, resource.kind) {
        case (.read, .patient), (.read, .careRequest), (.dispatch, .careRequest), (.update, .careRequest):
            return roles.isDisjoint(with: [.dispatcher, .nurse])
                ? .deny("only nurses and dispatchers handle care requests")
                : .allow("dispatch staff handle care requests")
        case (.manage, .partner), (.manage, .market):
            return roles.contains(.operationsAdmin)
                ? .allow("operations admins manage \(resource.kind.rawValue)s")
                : .deny("only operations admins manage partners and markets")
        default:
            return .deny("staff may not \(action.rawValue) a \(resource.kind.rawValue)")
        }
    }
}
