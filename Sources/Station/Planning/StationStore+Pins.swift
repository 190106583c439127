import DispatchPlanning
import Fluent
import Foundation
import SQLKit
import StationDomain
import Vocabulary

/// What pinning a visit to a team (or taking the pin off) did to its day's plan.
struct VisitPin: Sendable, Equatable {
    /// The team the visit is pinned to now; nil when the planner chooses.
    var team: CareTeamID?
    /// When the visit starts in the new plan; nil when the plan does not fit it.
    var start: Date?
    /// The day's travel in the new plan less the travel before (seconds; negative when the change saves travel).
    var travelChange: TimeInterval
}

/// Why a stop cannot go to the team a dispatcher moved it to: nothing is saved.
struct PlanBreak: Error, Sendable, Equatable {
    var teamName: String
    /// Why the team cannot make the visit itself (an ``UnplannedVisit/Reason`` code); nil when it can.
    var visitReason: String?
    /// Visits the plan fitted before and no longer fits with the move.
    var others: [CareRequestID]
}

extension StationStore {
    /// Pins a visit to `team` of its market (moving it there if another team had it), or takes the pin off (nil):
    /// the planner then gives the visit to that team only. The day is planned again with the pin first; when the
    /// team cannot make the visit, or the move leaves another visit of the day unplanned, nothing is saved and
    /// ``StationError/moveBreaksPlan(_:)`` says what breaks. Estimates are not changed: accepting the plan does that.
    /// One transaction, after any other plan change.
    func pinVisit(
        _ id: CareRequestID, to team: CareTeamID?, markets: MarketAccess, actor: String, locator: ZipLocator
    ) async throws -> VisitPin {
        try await write { db in
            let (model, market, day) = try await Self.plannedVisit(id, markets: markets, on: db)
            var teamName = ""
            if let team {
                guard
                    let record = try await Self.careTeams(of: MarketID(model.marketID), on: db)
                        .first(where: { $0.id == team })
                else {
                    var errors = FieldErrors()
                    errors.add("care_team_id", "is not a care team of this request's market")
                    throw StationError.invalid(errors)
                }
                teamName = record.settings.name
            }
            let before = try await self.proposeDay(of: market, on: day, locator: locator, in: db)
            try await db.sql.update(CareRequestModel.schema)
                .set("pinned_care_team_id", to: SQLBind(team?.rawValue))
                .set("updated_at", to: SQLBind(self.timestamp()))
                .where("id", .equal, SQLBind(id.rawValue))
                .run()
            let after = try await self.proposeDay(of: market, on: day, locator: locator, in: db)
            let stop = after.routes.flatMap(\.stops).first { $0.careRequest == id }
            if team != nil {
                let plannedBefore = Set(before.routes.flatMap(\.stops).map(\.careRequest))
                let others = after.unplanned.map(\.careRequest).filter { $0 != id && plannedBefore.contains($0) }
                if stop == nil || !others.isEmpty {
                    let visitReason =
                        stop == nil
                        ? (after.unplanned.first { $0.careRequest == id }?.reason
                            ?? UnplannedVisit.Reason.noRoomLeft.code)
                        : nil
                    // Thrown inside the transaction: the pin is not kept.
                    throw StationError.moveBreaksPlan(
                        PlanBreak(teamName: teamName, visitReason: visitReason, others: others))
                }
            }
            let travel = { (day: ProposedDay) in day.routes.reduce(0) { $0 + $1.travel } }
            return VisitPin(team: team, start: stop?.start, travelChange: travel(after) - travel(before))
        }
    }
}
