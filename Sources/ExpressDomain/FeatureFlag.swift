/// Per-partner features, released in two phases (the design document's rollout).
package enum FeatureFlag: String, CaseIterable, Codable, Sendable {
    /// Phase 1: care requests come from Station.
    case stationCareRequests = "station_care_requests"
    /// Phase 2: new care requests are made in OSS through a handoff.
    case ossHandoff = "oss_handoff"
}

extension FeatureFlag {
    /// The features in effect of those switched on: phase 2 builds on phase 1, so online scheduling is off
    /// while care requests are.
    package static func inEffect(_ enabled: Set<FeatureFlag>) -> Set<FeatureFlag> {
        enabled.contains(.stationCareRequests) ? enabled : enabled.subtracting([.ossHandoff])
    }
}
