/// A partner user's role in Express; what each may do is decided here, in one place.
public enum Role: String, CaseIterable, Codable, Sendable {
    case admin, scheduler, viewer

    public var canSchedule: Bool { self != .viewer }
    public var canManageUsers: Bool { self == .admin }

    public var label: String {
        switch self {
        case .admin: "Admin"
        case .scheduler: "Scheduler"
        case .viewer: "Viewer"
        }
    }
}

/// Per-partner features, released in two phases (the design document's rollout).
public enum FeatureFlag: String, CaseIterable, Codable, Sendable {
    /// Phase 1: care requests come from Station.
    case stationCareRequests = "station_care_requests"
    /// Phase 2: new care requests are made in OSS through a handoff.
    case ossHandoff = "oss_handoff"
}

extension FeatureFlag {
    /// The features in effect of those switched on: phase 2 builds on phase 1, so online scheduling is off
    /// while care requests are.
    public static func inEffect(_ enabled: Set<FeatureFlag>) -> Set<FeatureFlag> {
        enabled.contains(.stationCareRequests) ? enabled : enabled.subtracting([.ossHandoff])
    }
}
