import DispatchPlanning
import Foundation
import Vapor
import Vocabulary

/// Searches of the whole day, run in the background for the days that follow accepted routes.
///
/// Once a dispatcher accepted a day, its proposal only adds new bookings to the accepted routes and keeps every
/// other stop where it was (``StationStore/proposeDay(of:on:locator:in:)``). As bookings arrive, are moved or are
/// cancelled, a search of the whole day can find less travel or room for more visits. Such a plan is offered on
/// the proposal (``ProposedDay/search``), not put in its place: the accepted routes, and the estimates partners
/// and patients were given, change only when a dispatcher plans the day again and accepts the new plan.
///
/// A search starts when a booking or change lands on a day known to follow accepted routes, and when such a day's
/// proposal is read and no search has run for its current bookings. One search runs per day at a time; a change
/// during a search queues one more for the latest bookings only. The search has the same budget and seed as
/// planning the day afresh, so its result is the plan a dispatcher then gets.
///
/// It also keeps the last whole-day plan of each day, searched here or by a proposal planning the day afresh
/// (``plan(of:problem:)``, ``remember(_:span:problem:plan:)``): the same bookings give the same plan, so reading the
/// proposal again, planning afresh after an offer, and accepting (which plans inside its transaction, holding the
/// write gate) reuse it instead of searching again. Kept in memory: every instance searches for itself, and forgets
/// the oldest days beyond `capacity`.
actor BackgroundPlanSearch {
    struct Key: Hashable, Sendable {
        var market: MarketID
        var day: LocalDate
    }

    /// What a search of the whole day planned: its travel (seconds) and how many visits it fitted.
    struct Outcome: Sendable, Equatable {
        var travel: TimeInterval
        var planned: Int

        init(travel: TimeInterval, planned: Int) {
            self.travel = travel
            self.planned = planned
        }

        init(_ plan: Plan) {
            self.init(travel: plan.travelTime, planned: plan.routes.reduce(0) { $0 + $1.visits.count })
        }
    }

    enum State: Sendable, Equatable {
        case searching
        /// Done; nil when the planner refused the problem (the proposal says why itself).
        case done(Outcome?)
    }

    private struct Entry {
        /// The `hashValue` of the problem searched (or being searched): its bookings, teams and travel times.
        var problem: Int
        var state: State
        /// The plan the search found, once done.
        var plan: Plan?
        /// The market-local day, so that a booking's window finds its day without the market's time zone.
        var span: DateInterval
        /// Whether the day follows accepted routes (bookings then start searches).
        var follows: Bool
    }

    private var entries: [Key: Entry] = [:]
    /// Oldest first.
    private var order: [Key] = []
    private var running: Set<Key> = []
    private var pending: [Key: PlanningProblem] = [:]
    private let capacity: Int

    /// Searches run here, one at a time, apart from the queue of dispatchers' plan changes.
    private static let queue = DispatchQueue(label: "station.background-plan-search", qos: .background)

    init(capacity: Int = 32) {
        self.capacity = capacity
    }

    /// The search of `problem`, the whole day of `key` as it is booked now, starting it when none ran for it.
    func state(of key: Key, span: DateInterval, problem: PlanningProblem) -> State {
        let fingerprint = problem.hashValue
        if var entry = entries[key], entry.problem == fingerprint {
            entry.follows = true
            entries[key] = entry
            return entry.state
        }
        store(key, Entry(problem: fingerprint, state: .searching, span: span, follows: true))
        if running.contains(key) {
            pending[key] = problem
        } else {
            launch(key, problem: problem, fingerprint: fingerprint)
        }
        return .searching
    }

    /// The whole-day plan of `problem` when this instance has it (searched, or remembered), else nil.
    func plan(of key: Key, problem: PlanningProblem) -> Plan? {
        guard let entry = entries[key], entry.problem == problem.hashValue, let plan = entry.plan else { return nil }
        // The fingerprint is a hash: the plan must also place exactly the problem's visits.
        let placed = plan.routes.flatMap { $0.visits.map(\.visit) } + plan.unplanned.map(\.visit)
        guard placed.count == problem.visits.count, Set(placed) == Set(problem.visits.map(\.id)) else { return nil }
        return plan
    }

    /// Keeps the whole-day plan a proposal made of `problem`.
    func remember(_ key: Key, span: DateInterval, problem: PlanningProblem, plan: Plan) {
        let fingerprint = problem.hashValue
        var entry =
            entries[key].flatMap { $0.problem == fingerprint ? $0 : nil }
            ?? Entry(problem: fingerprint, state: .searching, span: span, follows: entries[key]?.follows ?? false)
        entry.state = .done(Outcome(plan))
        entry.plan = plan
        store(key, entry)
    }

    /// The day of `market` following accepted routes that `instant` falls on, if this instance knows one.
    func followedDay(of market: MarketID, at instant: Date) -> LocalDate? {
        entries.first { $0.key.market == market && $0.value.follows && $0.value.span.contains(instant) }?.key.day
    }

    /// The fingerprint of the bookings last searched (or being searched) for `key`'s day; for the tests.
    func searchedProblem(of key: Key) -> Int? { entries[key]?.problem }

    /// The day no longer follows accepted routes (a dispatcher planned it again): bookings stop starting searches.
    /// Its plan is kept: planning afresh shows it without searching again.
    func forget(_ key: Key) {
        entries[key]?.follows = false
    }

    private func store(_ key: Key, _ entry: Entry) {
        entries[key] = entry
        order.removeAll { $0 == key }
        order.append(key)
        if order.count > capacity {
            let oldest = order.removeFirst()
            entries[oldest] = nil
            pending[oldest] = nil
        }
    }

    private func launch(_ key: Key, problem: PlanningProblem, fingerprint: Int) {
        running.insert(key)
        Task.detached(priority: .background) {
            let plan = try? await StationStore.plan(problem, queue: Self.queue).plan
            await self.finished(key, fingerprint: fingerprint, plan: plan)
        }
    }

    private func finished(_ key: Key, fingerprint: Int, plan: Plan?) {
        running.remove(key)
        if var entry = entries[key], entry.problem == fingerprint, entry.plan == nil {
            entry.state = .done(plan.map(Outcome.init))
            entry.plan = plan
            entries[key] = entry
        }
        if let next = pending.removeValue(forKey: key), entries[key]?.problem == next.hashValue {
            launch(key, problem: next, fingerprint: next.hashValue)
        }
    }
}

/// What the proposal of a day following accepted routes says about the search of the whole day.
enum PlanSearchOffer: Sendable, Equatable {
    case searching
    case noBetterPlan
    /// Planning the day again would fit `morePlanned` more visits, and travel `travelSaved` seconds less (negative
    /// when fitting more visits takes more travel).
    case betterPlan(travelSaved: TimeInterval, morePlanned: Int)

    /// Less than a minute of travel saved is not offered: a dispatcher would move stops for nothing.
    static let smallestSaving: TimeInterval = 60

    /// Compares the search's outcome with the proposal following the accepted routes.
    init(_ state: BackgroundPlanSearch.State, following: BackgroundPlanSearch.Outcome) {
        switch state {
        case .searching: self = .searching
        case .done(nil): self = .noBetterPlan
        case .done(let found?):
            let saved = following.travel - found.travel
            let more = found.planned - following.planned
            self =
                more > 0 || (more == 0 && saved >= Self.smallestSaving)
                ? .betterPlan(travelSaved: saved, morePlanned: more) : .noBetterPlan
        }
    }
}

extension Application {
    private struct BackgroundPlanSearchKey: StorageKey { typealias Value = BackgroundPlanSearch }

    /// The background searches of this Station instance (``BackgroundPlanSearch``), one per application.
    var backgroundPlanSearch: BackgroundPlanSearch? {
        get { storage[BackgroundPlanSearchKey.self] }
        set { storage[BackgroundPlanSearchKey.self] = newValue }
    }
}

extension StationStore {
    /// Starts the search of the day `record` is booked on, when this instance knows the day follows accepted
    /// routes; the caller does not wait for it. Called after a booking or a change commits.
    func searchPlanAgain(after record: CareRequestRecord) {
        guard let planSearch, let window = record.model.timeWindow, let marketID = record.market.id,
            !record.model.synthetic
        else { return }
        let market = record.market
        Task.detached(priority: .background) {
            guard let day = await planSearch.followedDay(of: MarketID(marketID), at: window.start),
                case .success(let locator) = Self.zipLocator
            else { return }
            // Reading the proposal starts the search for the day's bookings as they are now.
            _ = try? await self.proposeDay(of: market, on: day, locator: locator)
        }
    }

    /// Starts the search of the day of `market` that `instant` falls on (the day a reschedule moved a visit from),
    /// when this instance knows the day follows accepted routes; the caller does not wait for it.
    func searchPlanAgain(of market: UUID, at instant: Date) {
        guard let planSearch else { return }
        Task.detached(priority: .background) {
            guard let day = await planSearch.followedDay(of: MarketID(market), at: instant),
                case .success(let locator) = Self.zipLocator,
                let model = try? await MarketModel.find(market, on: self.db)
            else { return }
            _ = try? await self.proposeDay(of: model, on: day, locator: locator)
        }
    }
}
