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
    /// A stop put at another place in its own team's route (``StationStore/orderVisit(_:at:markets:actor:locator:)``),
    /// not moved to a team.
    var reordered = false
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
                .set("pinned_by", to: SQLBind(team == nil ? nil : actor))
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

/// Where a stop put at another place in its route is in the new plan.
struct VisitOrder: Sendable, Equatable {
    var team: CareTeamID
    var position: Int
    var start: Date
    /// The day's travel in the new plan less the travel before (seconds; negative when the change saves travel).
    var travelChange: TimeInterval
}

extension StationStore {
    /// Puts a visit at `position` (from 0) among the stops of the team that makes it, on a day that follows accepted
    /// routes: the day's routes as proposed now (new bookings where they were added) are kept with the stop there,
    /// and the day is planned with them. When the team cannot make its stops in that order, or another visit of
    /// the day no longer fits, nothing is saved and ``StationError/moveBreaksPlan(_:)`` says what breaks. The routes
    /// keep who accepted them and when; estimates change only when the plan is accepted again. One transaction,
    /// after any other plan change.
    func orderVisit(
        _ id: CareRequestID, at position: Int, markets: MarketAccess, actor: String, locator: ZipLocator
    ) async throws -> VisitOrder {
        try await write { db in
            let (_, market, day) = try await Self.plannedVisit(id, markets: markets, on: db)
            let marketID = MarketID(try market.requireID())
            guard let accepted = try await Self.acceptedRoutes(of: marketID, on: day, in: db) else {
                throw StationError.planNotAccepted
            }
            let before = try await self.proposeDay(of: market, on: day, locator: locator, in: db)
            guard let route = before.routes.first(where: { $0.stops.contains { $0.careRequest == id } }) else {
                throw StationError.visitNotPlanned(.unplanned)
            }
            var order = route.stops.map(\.careRequest.wire)
            guard order.indices.contains(position) else {
                var errors = FieldErrors()
                errors.add(
                    "position",
                    order.count == 1
                        ? "must be 0: the visit is \(route.team.settings.name)'s only stop"
                        : "must be from 0 to \(order.count - 1), a place among \(route.team.settings.name)'s stops")
                throw StationError.invalid(errors)
            }
            order.removeAll { $0 == id.wire }
            order.insert(id.wire, at: position)
            var routes = before.routeOrders
            routes[route.team.id.wire] = order
            try await Self.keepRoutes(
                routes, of: marketID, on: day, acceptedBy: accepted.acceptedBy, at: accepted.acceptedAt, in: db)
            let after = try await self.proposeDay(of: market, on: day, locator: locator, in: db)
            let made = after.routes.first { $0.team.id == route.team.id }
            let plannedBefore = Set(before.routes.flatMap(\.stops).map(\.careRequest))
            let others = after.unplanned.map(\.careRequest).filter { $0 != id && plannedBefore.contains($0) }
            guard let made, made.stops.map(\.careRequest.wire) == order, others.isEmpty,
                let stop = made.stops.first(where: { $0.careRequest == id })
            else {
                // Thrown inside the transaction: the routes are not kept.
                let inOrder = made?.stops.map(\.careRequest.wire).filter { order.contains($0) } == order
                throw StationError.moveBreaksPlan(
                    PlanBreak(
                        teamName: route.team.settings.name, visitReason: inOrder ? nil : "order_misses_window",
                        others: others, reordered: true))
            }
            let travel = { (day: ProposedDay) in day.routes.reduce(0) { $0 + $1.travel } }
            return VisitOrder(
                team: route.team.id, position: position, start: stop.start, travelChange: travel(after) - travel(before)
            )
        }
    }
}
