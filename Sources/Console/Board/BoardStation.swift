import ConsoleDomain
import Foundation
import Platform
import StationAPI
import Vocabulary

/// The Station calls of the dispatch board, made with the signed-in dispatcher's own token (so Station's status
/// history names them): a refusal becomes a ``StationProblem`` with Station's words, anything unreachable or
/// unexpected ``StationUnavailable``.
struct BoardStation {
    typealias Board = Components.Schemas.DispatchBoard
    typealias Market = Components.Schemas.Market
    typealias Window = Components.Schemas.BoardWindow

    let client: StationAPI.Client

    /// The markets Station lists that the dispatcher works in, by name.
    func markets(for staff: StaffMember) async throws -> [Market] {
        let markets = try await StationStaffGateway.call {
            switch try await client.listMarkets() {
            case .ok(let ok): return try ok.body.json
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
        return markets.filter { MarketID(wire: $0.id).map(staff.markets.allows) ?? false }
            .sorted { $0.name.localizedStandardCompare($1.name) == .orderedAscending }
    }

    /// One market's board for one market-local day.
    func board(market: MarketID, day: LocalDate) async throws -> Board {
        try await StationStaffGateway.call {
            switch try await client.getDispatchBoard(path: .init(marketId: market.wire), query: .init(date: day.iso)) {
            case .ok(let ok): return try ok.body.json
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }

    /// Moves a request, stating the status the dispatcher saw: a request moved meanwhile answers 409 with who
    /// moved it, an illegal move 409 with Station's rule. Returns the request's partner (nil for a patient's own).
    @discardableResult
    func move(_ id: CareRequestID, _ move: BoardMoveRequest) async throws -> PartnerID? {
        let body = Components.Schemas.StatusChangeRequest(
            to: .init(move.target), reason: move.reason,
            eta: move.eta.map { .init(start: $0.start, end: $0.end) }, expectedStatus: .init(move.expected))
        return try await StationStaffGateway.call {
            switch try await client.changeCareRequestStatus(path: .init(careRequestId: id.wire), body: .json(body)) {
            case .ok(let ok): return try ok.body.json.partnerId.flatMap { PartnerID(wire: $0) }
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }

    /// Sets one window's places for its day; below what is booked answers 409 listing the affected requests.
    func setCapacity(market: MarketID, windowStart: Date, places: Int) async throws -> Window {
        try await StationStaffGateway.call {
            switch try await client.setWindowCapacity(
                path: .init(marketId: market.wire), body: .json(.init(windowStart: windowStart, capacity: places)))
            {
            case .ok(let ok): return try ok.body.json
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }
}

extension Components.Schemas.CareRequestStatus {
    init(_ status: CareRequestStatus) {
        self =
            switch status {
            case .pendingTriage: .pendingTriage
            case .requested: .requested
            case .accepted: .accepted
            case .scheduled: .scheduled
            case .onRoute: .onRoute
            case .onScene: .onScene
            case .complete: .complete
            case .archived: .archived
            }
    }
}

extension BoardStation {
    /// The planner's proposal for one market-local day.
    func plan(market: MarketID, day: LocalDate) async throws -> Components.Schemas.DayPlan {
        try await StationStaffGateway.call {
            switch try await client.getDayPlan(path: .init(marketId: market.wire), query: .init(date: day.iso)) {
            case .ok(let ok): return try ok.body.json
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }
}

extension BoardStation {
    /// Accepts the day's plan if it is still `version`: every planned request gets its arrival estimate.
    func acceptPlan(market: MarketID, day: LocalDate, version: String) async throws
        -> Components.Schemas.DayPlanAccepted
    {
        try await StationStaffGateway.call {
            switch try await client.acceptDayPlan(
                path: .init(marketId: market.wire), body: .json(.init(date: day.iso, version: version)))
            {
            case .ok(let ok): return try ok.body.json
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }
}

extension BoardStation {
    /// Marks a visit as running `minutes` longer (0 takes it back); Station moves the estimates after it.
    func extendVisit(_ id: CareRequestID, minutes: Int) async throws -> Components.Schemas.VisitExtension {
        try await StationStaffGateway.call {
            switch try await client.extendVisit(
                path: .init(careRequestId: id.wire), body: .json(.init(extraMinutes: minutes)))
            {
            case .ok(let ok): return try ok.body.json
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }
}

extension BoardStation {
    /// Moves a stop to `team` and pins it there (nil takes the pin off); Station refuses a move that breaks the
    /// day's plan, saying what breaks.
    func pinVisit(_ id: CareRequestID, to team: CareTeamID?) async throws -> Components.Schemas.VisitPin {
        try await StationStaffGateway.call {
            if let team {
                switch try await client.pinVisit(
                    path: .init(careRequestId: id.wire), body: .json(.init(careTeamId: team.wire)))
                {
                case .ok(let ok): return try ok.body.json
                case let other: throw StationStaffGateway.refusal(other)
                }
            }
            switch try await client.unpinVisit(path: .init(careRequestId: id.wire)) {
            case .ok(let ok): return try ok.body.json
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }
}

extension BoardStation {
    /// Puts a stop at `position` (from 0) in its team's route, on a day that follows accepted routes.
    func orderVisit(_ id: CareRequestID, at position: Int) async throws -> Components.Schemas.VisitOrder {
        try await StationStaffGateway.call {
            switch try await client.orderVisit(
                path: .init(careRequestId: id.wire), body: .json(.init(position: position)))
            {
            case .ok(let ok): return try ok.body.json
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }

    /// Lets go of the day's accepted routes: the next proposal plans the whole day afresh.
    func planDayAgain(market: MarketID, day: LocalDate) async throws {
        try await StationStaffGateway.call {
            switch try await client.planDayAgain(path: .init(marketId: market.wire), query: .init(date: day.iso)) {
            case .noContent: return
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }
}
