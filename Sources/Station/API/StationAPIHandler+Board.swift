import DispatchPlanning
import Foundation
import Platform
import StationAPI
import StationDomain
import Vocabulary

extension StationAPIHandler {
    /// The ZIP code centroids the planner places addresses with; 503 when they did not load (logged at start).
    static func planningLocator() throws -> ZipLocator {
        guard case .success(let locator) = StationStore.zipLocator else {
            throw Problem.unavailable("The ZIP code centroids the planner places addresses with did not load.")
        }
        return locator
    }

    func getDispatchBoard(_ input: Operations.GetDispatchBoard.Input) async throws -> Operations.GetDispatchBoard.Output
    {
        let market = try await staffMarket(input.path.marketId)
        guard let day = LocalDate(iso: input.query.date) else {
            throw Problem.badQuery([.init(field: "date", message: "must be a date as YYYY-MM-DD")])
        }
        let board = try await store.board(of: market, on: day)
        return .ok(.init(body: .json(try .init(board))))
    }

    func getDayPlan(_ input: Operations.GetDayPlan.Input) async throws -> Operations.GetDayPlan.Output {
        let market = try await staffMarket(input.path.marketId)
        guard let day = LocalDate(iso: input.query.date), day.interval(in: market.schedule.timeZone) != nil else {
            throw Problem.badQuery([.init(field: "date", message: "must be a date as YYYY-MM-DD")])
        }
        let locator = try Self.planningLocator()
        let proposal = try await store.proposeDay(of: market, on: day, locator: locator)
        return .ok(.init(body: .json(.init(proposal))))
    }

    func acceptDayPlan(_ input: Operations.AcceptDayPlan.Input) async throws -> Operations.AcceptDayPlan.Output {
        let market = try await staffMarket(input.path.marketId)
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the plan to accept as JSON.") }
        guard let day = LocalDate(iso: body.date), day.interval(in: market.schedule.timeZone) != nil else {
            throw Problem.validation([.init(field: "date", message: "must be a date as YYYY-MM-DD")])
        }
        var errors = FieldErrors()
        Validate.text(body.version, "version", max: 64, into: &errors)
        try errors.throwIfAny()
        let locator = try Self.planningLocator()
        let acceptance = try await store.acceptDay(
            of: market, on: day, version: body.version, actor: Self.actor(try caller()), locator: locator)
        return .ok(
            .init(
                body: .json(
                    .init(
                        scheduled: acceptance.scheduled, moved: acceptance.moved, unchanged: acceptance.unchanged,
                        left: acceptance.left.map { $0.wire }))))
    }

    func planDayAgain(_ input: Operations.PlanDayAgain.Input) async throws -> Operations.PlanDayAgain.Output {
        let market = try await staffMarket(input.path.marketId)
        guard let day = LocalDate(iso: input.query.date), day.interval(in: market.schedule.timeZone) != nil else {
            throw Problem.badQuery([.init(field: "date", message: "must be a date as YYYY-MM-DD")])
        }
        _ = try await store.planDayAgain(of: MarketID(try market.requireID()), on: day)
        return .noContent(.init())
    }

    func extendVisit(_ input: Operations.ExtendVisit.Input) async throws -> Operations.ExtendVisit.Output {
        let principal = try caller()
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the extra time as JSON.") }
        let id = try Self.id(input.path.careRequestId, CareRequestID.self, name: "careRequestId")
        let locator = try Self.planningLocator()
        let visit = try await store.extendVisit(
            id, by: body.extraMinutes, markets: try Self.staffMarkets(principal), actor: Self.actor(principal),
            locator: locator)
        return .ok(
            .init(
                body: .json(
                    .init(
                        extraMinutes: visit.extraMinutes, moved: visit.moved.map { $0.wire },
                        unplanned: visit.unplanned.compactMap(Components.Schemas.UnplannedRequest.init)))))
    }

    func pinVisit(_ input: Operations.PinVisit.Input) async throws -> Operations.PinVisit.Output {
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the care team as JSON.") }
        guard let team = CareTeamID(wire: body.careTeamId) else {
            throw Problem.validation([.init(field: "care_team_id", message: "must be the id of a care team, a UUID")])
        }
        return .ok(.init(body: .json(try await pin(input.path.careRequestId, to: team))))
    }

    func unpinVisit(_ input: Operations.UnpinVisit.Input) async throws -> Operations.UnpinVisit.Output {
        .ok(.init(body: .json(try await pin(input.path.careRequestId, to: nil))))
    }

    func orderVisit(_ input: Operations.OrderVisit.Input) async throws -> Operations.OrderVisit.Output {
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the position as JSON.") }
        let principal = try caller()
        let id = try Self.id(input.path.careRequestId, CareRequestID.self, name: "careRequestId")
        let locator = try Self.planningLocator()
        let order = try await store.orderVisit(
            id, at: body.position, markets: try Self.staffMarkets(principal), actor: Self.actor(principal),
            locator: locator)
        return .ok(
            .init(
                body: .json(
                    .init(
                        careTeamId: order.team.wire, position: order.position, startsAt: order.start,
                        travelChangeSeconds: Int(order.travelChange.rounded())))))
    }

    /// Pins the request's visit to `team` (nil takes the pin off) and answers where it is in the new plan.
    private func pin(_ rawID: String, to team: CareTeamID?) async throws -> Components.Schemas.VisitPin {
        let principal = try caller()
        let id = try Self.id(rawID, CareRequestID.self, name: "careRequestId")
        let locator = try Self.planningLocator()
        let pin = try await store.pinVisit(
            id, to: team, markets: try Self.staffMarkets(principal), actor: Self.actor(principal), locator: locator)
        return .init(
            careTeamId: pin.team?.wire, startsAt: pin.start, travelChangeSeconds: Int(pin.travelChange.rounded()))
    }

    func setWindowCapacity(_ input: Operations.SetWindowCapacity.Input) async throws
        -> Operations.SetWindowCapacity.Output
    {
        let market = try await staffMarket(input.path.marketId)
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the capacity as JSON.") }
        let change = try WindowCapacity(
            windowStart: body.windowStart, capacity: body.capacity, schedule: market.schedule)
        let window = try await store.setCapacity(change, of: market)
        return .ok(.init(body: .json(try .init(window))))
    }

    /// The market named in a path, if it exists and lies in the caller's markets; otherwise 404.
    private func staffMarket(_ raw: String) async throws -> MarketModel {
        let markets = try Self.staffMarkets(try caller())
        let id = try Self.id(raw, MarketID.self, name: "marketId")
        guard markets.allows(id), let market = try await store.market(id) else {
            throw Problem.notFound("No market with id \(id.wire).")
        }
        return market
    }
}

extension Components.Schemas.DispatchBoard {
    init(_ board: DispatchBoardDay) throws {
        self.init(
            market: try .init(board.market), date: board.day.iso,
            windows: try board.windows.map(Components.Schemas.BoardWindow.init),
            unscheduled: try board.unscheduled.map(Components.Schemas.BoardItem.init))
    }
}

extension Components.Schemas.BoardWindow {
    init(_ state: BoardWindowState) throws {
        self.init(
            start: state.window.start, end: state.window.end, capacity: state.capacity, booked: state.booked,
            requests: try state.entries.map(Components.Schemas.BoardItem.init))
    }
}

extension Components.Schemas.BoardItem {
    init(_ entry: BoardEntry) throws {
        let model = entry.model
        let status = try CareRequestStatus(mapping: model.status)
        self.init(
            id: CareRequestID(try model.requireID()).wire, status: try .init(mapping: status.rawValue),
            partnerName: entry.partnerName, patientName: entry.patientName,
            serviceLine: .init(id: ServiceLineID(try entry.serviceLine.requireID()).wire, name: entry.serviceLine.name),
            windowStart: model.timeWindow?.start, windowEnd: model.timeWindow?.end, etaStart: model.eta?.start,
            etaEnd: model.eta?.end, updatedAt: model.updatedAt,
            allowedNext: try status.boardMoves.map { try .init(mapping: $0.rawValue) })
    }
}
