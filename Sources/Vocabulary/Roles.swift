/// A partner user's role in Express and in Policy's rules; what each may do is decided in one place.
package enum PartnerRole: String, CaseIterable, Codable, Sendable, Comparable {
    case admin, scheduler, viewer

    package var canSchedule: Bool { self != .viewer }
    package var canManageUsers: Bool { self == .admin }

    package var label: String {
        switch self {
        case .admin: "Admin"
        case .scheduler: "Scheduler"
        case .viewer: "Viewer"
        }
    }

    package static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A member of the provider's care team, signed in through the staff tenant; a person may hold several.
package enum StaffRole: String, CaseIterable, Codable, Sendable, Comparable {
    case dispatcher, nurse
    case operationsAdmin = "operations_admin"

    package var label: String {
        switch self {
        case .dispatcher: "Dispatcher"
        case .nurse: "Nurse"
        case .operationsAdmin: "Operations admin"
        }
    }

    /// The Station scopes a member with this role may hold (Identity grants a staff user's token no others;
    /// Station checks them per operation).
    package var stationScopes: Set<String> {
        switch self {
        case .nurse: ["station.triage", "station.care_requests.read", "station.patients.read"]
        case .dispatcher: ["station.dispatch", "station.care_requests.read", "station.patients.read"]
        case .operationsAdmin: ["station.admin"]
        }
    }

    /// Every Station scope any of `roles` allows.
    package static func stationScopes(for roles: some Sequence<StaffRole>) -> Set<String> {
        roles.reduce(into: Set<String>()) { $0.formUnion($1.stationScopes) }
    }

    package static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
