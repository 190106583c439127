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

/// A member of the provider's care team, signed in through the staff tenant.
package enum StaffRole: String, CaseIterable, Codable, Sendable {
    case dispatcher, nurse
}
