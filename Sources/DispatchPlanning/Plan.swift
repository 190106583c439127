/// The planner's answer: each team's ordered visits with their times, and the visits no team can make, each with
/// why.
public struct Plan: Sendable {
    public var routes: [PlannedRoute]
    public var unplanned: [UnplannedVisit]

    /// The total travel time of every route, from its base and back.
    public var travelTime: Double { routes.reduce(0) { $0 + $1.travelTime } }
    /// How many teams have at least one visit.
    public var teamsUsed: Int { routes.count { !$0.visits.isEmpty } }
}

/// One team's day.
public struct PlannedRoute: Sendable {
    public var team: String
    public var visits: [PlannedVisit]
    public var travelTime: Double
    /// When the team leaves its base and when it is back.
    public var leaves: Double
    public var returns: Double
}

/// One stop of a route.
public struct PlannedVisit: Sendable {
    public var visit: String
    /// When the team arrives (it may wait for the window to open).
    public var arrival: Double
    /// When the visit starts: the estimate partners and patients see.
    public var start: Double
    /// How much later this visit could start without any visit of the route leaving its window or the team
    /// coming back after its shift.
    public var slack: Double
}

/// A visit no team can make, and why.
public struct UnplannedVisit: Sendable, Equatable {
    public var visit: String
    public var reason: Reason

    public enum Reason: Sendable, Equatable {
        /// The day has no team at all.
        case noTeams
        /// No team delivers the visit's service line.
        case noTeamWithServiceLine(String)
        /// No team's shift can reach the place inside the window and be back in time, even with nothing else to do.
        case outsideEveryShift
        /// No team's capacity holds the visit's demand, even with nothing else to do.
        case overCapacity
        /// Teams could make it alone, but every one's day is full around its window.
        case noRoomLeft
        /// It is pinned to a team that is not in the day's plan (not working that day).
        case pinnedTeamAbsent
    }
}
