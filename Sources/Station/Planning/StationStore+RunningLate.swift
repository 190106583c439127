import DispatchPlanning
import Fluent
import Foundation
import SQLKit
import StationDomain
import Vocabulary

/// What marking a visit longer did to its day.
struct VisitExtension: Sendable, Equatable {
    /// The request's minutes beyond its service line's visit length now.
    var extraMinutes: Int
    /// Scheduled and on-the-way requests whose arrival estimate moved, each told by `care_request.eta_changed`.
    var moved: [CareRequestID]
    /// Requests of the day the plan does not fit now (their estimates are kept; a dispatcher sees to them).
    var unplanned: [ProposedDay.Unplanned]
}

extension StationStore {
    /// From no extra time to four hours more.
    static let extraMinutesRange = 0...240

    /// Marks a visit as running `minutes` longer than its service line's visits (0 takes that back), then plans its
    /// day again and moves the estimates of the scheduled and on-the-way requests whose planned start moved: a team
    /// running late tells the people after it. Requested and accepted requests are not scheduled by this; an
    /// estimate outside the days a market publishes is not moved. One transaction, after any other plan change.
    func extendVisit(
        _ id: CareRequestID, by minutes: Int, markets: MarketAccess, actor: String, locator: ZipLocator
    ) async throws -> VisitExtension {
        guard Self.extraMinutesRange.contains(minutes) else {
            var errors = FieldErrors()
            errors.add("extra_minutes", "must be from 0 to 240 minutes")
            throw StationError.invalid(errors)
        }
        return try await write { db in
            let (_, market, day) = try await Self.plannedVisit(id, markets: markets, on: db)
            try await db.sql.update(CareRequestModel.schema)
                .set("extra_visit_minutes", to: minutes == 0 ? SQLBind(Int?.none) : SQLBind(minutes))
                .set("updated_at", to: SQLBind(self.timestamp()))
                .where("id", .equal, SQLBind(id.rawValue))
                .run()
            let proposal = try await self.proposeDay(of: market, on: day, locator: locator, in: db)
            let published = StatusTransition.etaRange(now: self.now())
            var moved: [CareRequestID] = []
            for stop in proposal.routes.flatMap(\.stops) {
                let eta = Self.estimate(startingAt: stop.start)
                guard published.contains(eta.start), published.contains(eta.end) else { continue }
                if try await self.setEstimate(stop.careRequest, eta: eta, actor: actor, schedules: false, on: db)
                    == .moved
                {
                    moved.append(stop.careRequest)
                }
            }
            return VisitExtension(extraMinutes: minutes, moved: moved, unplanned: proposal.unplanned)
        }
    }
}

extension StationStore {
    /// A request a dispatcher changes the plan for (a visit running longer, a pin), read after every other plan
    /// change (the planning lock, taken here): it, its market and its market-local day. Not found outside the
    /// caller's markets; ``StationError/visitNotPlanned(_:)`` unless it is open, past triage and has a window.
    static func plannedVisit(_ id: CareRequestID, markets: MarketAccess, on db: any Database) async throws
        -> (model: CareRequestModel, market: MarketModel, day: LocalDate)
    {
        try await advisoryLock(planningLock, on: db)
        guard let model = try await CareRequestModel.find(id.rawValue, on: db),
            markets.allows(MarketID(model.marketID)), !model.synthetic,
            let market = try await MarketModel.find(model.marketID, on: db)
        else { throw StationError.notFound("care request") }
        let status = model.statusValue
        guard status.isOpen, status != .pendingTriage else { throw StationError.visitNotPlanned(.status(status)) }
        guard let window = model.timeWindow, let day = LocalDate(window.start, in: market.schedule.timeZone)
        else { throw StationError.visitNotPlanned(.noWindow) }
        return (model, market, day)
    }
}
