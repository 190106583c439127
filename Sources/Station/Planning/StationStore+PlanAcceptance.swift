import Crypto
import DispatchPlanning
import Fluent
import Foundation
import Platform
import SQLKit
import StationDomain
import Vocabulary

extension ProposedDay {
    /// Names this proposal: its routes, their stops in order and when each visit starts. The dispatcher's page
    /// sends it back when accepting, so what is accepted is what they saw; any change to the bookings, teams or
    /// shifts since gives another.
    var version: String {
        var text = "\(market.wire) \(day.iso)\n"
        for route in routes {
            text += route.team.id.wire
            for stop in route.stops {
                text += " \(stop.careRequest.wire)@\(Int(stop.start.timeIntervalSince1970))"
            }
            text += "\n"
        }
        return String(Secrets.hex(SHA256.hash(data: Data(text.utf8))).prefix(32))
    }
}

/// What accepting a day's plan did to its requests.
struct PlanAcceptance: Sendable, Equatable {
    /// Requests scheduled now, with their arrival estimate (accepted first when they were only requested).
    var scheduled = 0
    /// Scheduled requests whose arrival estimate moved.
    var moved = 0
    /// Scheduled requests whose estimate was already the plan's.
    var unchanged = 0
    /// Requests left as they are: already on the way or on scene, or changed by someone else meanwhile.
    var left: [CareRequestID] = []
}

extension StationStore {
    /// How long an arrival estimate spans: from the planned start, rounded down to five minutes.
    static let estimateMinutes = 30

    /// The arrival estimate a planned start gives: the half hour from the start rounded down to five minutes.
    static func estimate(startingAt start: Date) -> DateInterval {
        let rounded = (start.timeIntervalSince1970 / 300).rounded(.down) * 300
        return DateInterval(
            start: Date(timeIntervalSince1970: rounded), duration: Double(estimateMinutes * 60))
    }

    /// Accepts a market day's proposal, if it is still `version`: every planned stop gets its arrival estimate.
    /// A requested or accepted request becomes scheduled (each step in its history, each published); a scheduled
    /// one whose estimate moved keeps its status and publishes `care_request.eta_changed`; one already on the way
    /// (or moved to another status meanwhile) is left and named. One transaction, after any other plan change.
    func acceptDay(
        of market: MarketModel, on day: LocalDate, version: String, actor: String, locator: ZipLocator
    ) async throws -> PlanAcceptance {
        try await write { db in
            try await Self.advisoryLock(Self.planningLock, on: db)
            let proposal = try await self.proposeDay(of: market, on: day, locator: locator, in: db)
            guard proposal.version == version else { throw StationError.planChanged }
            let stops = proposal.routes.flatMap(\.stops)
            let checkedAt = self.now()
            for stop in stops {
                do {
                    try StatusTransition(
                        from: .accepted, to: .scheduled, reason: nil, eta: Self.estimate(startingAt: stop.start)
                    ).validate(now: checkedAt)
                } catch let refusal as StatusTransition.Refusal { throw StationError.transition(refusal) }
            }
            // From now on the day's proposal follows these routes.
            try await Self.keepAcceptedRoutes(proposal, actor: actor, at: checkedAt, in: db)
            var acceptance = PlanAcceptance()
            for stop in stops {
                let eta = Self.estimate(startingAt: stop.start)
                switch try await self.setEstimate(stop.careRequest, eta: eta, actor: actor, schedules: true, on: db) {
                case .scheduled: acceptance.scheduled += 1
                case .moved: acceptance.moved += 1
                case .unchanged: acceptance.unchanged += 1
                case .left: acceptance.left.append(stop.careRequest)
                }
            }
            return acceptance
        }
    }

    enum EstimateOutcome { case scheduled, moved, unchanged, left }

    /// Gives one request the estimate `eta`, in `db`'s transaction. `schedules`: a requested or accepted request
    /// becomes scheduled with it (accepting a plan); otherwise only a scheduled request's, or one on the way, moves
    /// (a team running late).
    func setEstimate(
        _ id: CareRequestID, eta: DateInterval, actor: String, schedules: Bool, on db: any Database
    ) async throws -> EstimateOutcome {
        guard let model = try await CareRequestModel.find(id.rawValue, on: db) else { return .left }
        let partner = model.partnerID.map { PartnerID($0) }
        let window = model.timeWindow
        var status = model.statusValue
        let at = timestamp()
        switch status {
        case .requested where schedules, .accepted where schedules:
            var events: [NewCareRequestEvent] = []
            let steps: [CareRequestStatus] = status == .requested ? [.accepted, .scheduled] : [.scheduled]
            for next in steps {
                let moved = try await Self.moveIfStill(
                    id, from: status, to: next, eta: next == .scheduled ? eta : nil, at: at, on: db)
                guard moved else {
                    try await publish(events, on: db)
                    return .left
                }
                try await StatusChangeModel(
                    careRequestID: id.rawValue, from: status, to: next, actor: actor,
                    reason: "From the accepted dispatch plan", at: at
                ).insert(on: db)
                events.append(
                    .statusChanged(
                        id, partner: partner, from: status, to: next, window: window,
                        eta: next == .scheduled ? eta : model.eta, at: at))
                status = next
            }
            try await publish(events, on: db)
            return .scheduled
        // Accepting a plan moves scheduled estimates only; a team running late moves those on the way too.
        case .scheduled,
            .onRoute where !schedules:
            guard model.eta != eta else { return .unchanged }
            let moved = try await db.sql.update(CareRequestModel.schema)
                .set("eta_start", to: SQLBind(eta.start)).set("eta_end", to: SQLBind(eta.end))
                .set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(id.rawValue))
                .where("status", .equal, SQLBind(status.rawValue))
                .returning("id").all()
            guard !moved.isEmpty else { return .left }
            try await publish(
                [.etaChanged(id, partner: partner, status: status, window: window, eta: eta, at: at)], on: db)
            return .moved
        default:
            return .left
        }
    }

    /// ``move(_:from:to:eta:window:at:on:lost:)`` reporting a lost race as `false` instead of a conflict.
    private static func moveIfStill(
        _ id: CareRequestID, from current: CareRequestStatus, to next: CareRequestStatus, eta: DateInterval?,
        at: Date, on db: any Database
    ) async throws -> Bool {
        do {
            try await move(id, from: current, to: next, eta: eta, at: at, on: db) {
                StatusConflict(current: current, lastChange: nil, timeZone: .gmt)
            }
            return true
        } catch StationError.statusConflict {
            return false
        }
    }
}
