import Fluent
import Foundation
import SQLKit
import StationDomain
import Vocabulary

/// One request as the dispatch board shows it.
struct BoardEntry: Sendable {
    var model: CareRequestModel
    var partnerName: String?
    var patientName: String
    var serviceLine: ServiceLineModel
}

/// One window of a board's day: its places for that day and what is booked in it.
struct BoardWindowState: Sendable {
    var window: DateInterval
    var capacity: Int
    var booked: Int
    var entries: [BoardEntry]
}

/// A market's dispatch board for one market-local day.
struct DispatchBoardDay: Sendable {
    var market: MarketModel
    var day: LocalDate
    var windows: [BoardWindowState]
    var unscheduled: [BoardEntry]
}

extension StationStore {
    /// The most unscheduled requests a board lists.
    static let unscheduledLimit = 200

    /// Every window of the day with its places and requests (closed ones too, so the board tells the day's
    /// story), and the market's open requests without a window. Requests waiting for a nurse are not on it.
    func board(of market: MarketModel, on day: LocalDate) async throws -> DispatchBoardDay {
        let marketID = try market.requireID()
        let windows = market.schedule.windows(on: day)
        var models: [CareRequestModel] = []
        // The whole local day: a booking the schedule no longer has (hours changed) is shown among the unscheduled.
        if let span = day.interval(in: market.schedule.timeZone) {
            models += try await boardQuery(marketID)
                .filter(\.$windowStart >= span.start).filter(\.$windowStart < span.end)
                .sort(\.$windowStart).sort(\.$createdMs).all()
        }
        models += try await boardQuery(marketID)
            .filter(\.$windowStart == nil).filter(\.$phase == CareRequestPhase.current.rawValue)
            .sort(\.$createdMs).limit(Self.unscheduledLimit).all()
        let entries = try await boardEntries(models)
        let layout = BoardLayout(
            windows: windows, items: entries, window: { $0.model.timeWindow }, status: { $0.model.statusValue })
        let places = try await reservations(of: market, windows)
        return DispatchBoardDay(
            market: market, day: day,
            windows: layout.windows.map { slot in
                let place = places[slot.window.start] ?? (market.capacityPerWindow, 0)
                return BoardWindowState(
                    window: slot.window, capacity: place.capacity, booked: place.booked, entries: slot.items)
            },
            unscheduled: layout.unscheduled)
    }

    /// One window of the board, as after a capacity change.
    func boardWindow(of market: MarketModel, _ window: DateInterval) async throws -> BoardWindowState {
        guard let day = LocalDate(window.start, in: market.schedule.timeZone) else {
            throw StationError.clockOutOfRange
        }
        let board = try await board(of: market, on: day)
        guard let state = board.windows.first(where: { $0.window.start == window.start }) else {
            throw StationError.notFound("time window")
        }
        return state
    }

    private func boardQuery(_ marketID: UUID) -> QueryBuilder<CareRequestModel> {
        CareRequestModel.query(on: db)
            .filter(\.$marketID == marketID).filter(\.$synthetic == false)
            .filter(\.$status != CareRequestStatus.pendingTriage.rawValue)
    }

    private func boardEntries(_ models: [CareRequestModel]) async throws -> [BoardEntry] {
        guard !models.isEmpty else { return [] }
        let patients = try await PatientModel.query(on: db).filter(\.$id ~~ Set(models.map(\.patientID))).all()
        let partnerIDs = Set(models.compactMap(\.partnerID))
        let partners =
            partnerIDs.isEmpty ? [] : try await PartnerModel.query(on: db).filter(\.$id ~~ partnerIDs).all()
        let lines = try await ServiceLineModel.query(on: db).filter(\.$id ~~ Set(models.map(\.serviceLineID))).all()
        let names = Dictionary(
            uniqueKeysWithValues: patients.compactMap { p in p.id.map { ($0, "\(p.givenName) \(p.familyName)") } })
        let partnerNames = Dictionary(uniqueKeysWithValues: partners.compactMap { p in p.id.map { ($0, p.name) } })
        let lineByID = Dictionary(uniqueKeysWithValues: lines.compactMap { l in l.id.map { ($0, l) } })
        return models.compactMap { model in
            guard let line = lineByID[model.serviceLineID] else { return nil }
            return BoardEntry(
                model: model, partnerName: model.partnerID.flatMap { partnerNames[$0] },
                patientName: names[model.patientID] ?? "", serviceLine: line)
        }
    }

    /// The places and bookings of the windows that have a reservation row; others have the market's default.
    func reservations(of market: MarketModel, _ windows: [DateInterval]) async throws -> [Date: (
        capacity: Int, booked: Int
    )] {
        guard let first = windows.first, let last = windows.last else { return [:] }
        let rows = try await TimeWindowReservationModel.query(on: db)
            .filter(\.$marketID == (try market.requireID()))
            .filter(\.$windowStart >= first.start).filter(\.$windowStart <= last.start)
            .all()
        return Dictionary(rows.map { ($0.windowStart, (capacity: $0.capacity, booked: $0.booked)) }) { a, _ in a }
    }
}
