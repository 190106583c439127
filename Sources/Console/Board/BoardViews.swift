import ConsoleDomain
import Foundation
import Platform
import StationAPI
import Vocabulary

/// The board page (`board.leaf`): the market and day chosen, and the day's windows (`board-windows.leaf`, also
/// the live fragment).
struct BoardPage: Encodable {
    var markets: [MarketOption]
    var marketID: String
    var marketName: String
    var day: DayView
    /// What went wrong with the last action, announced at the top (a 409's "Dee Dispatcher moved it …").
    var alert: String?
    var board: BoardWindowsView

    struct MarketOption: Encodable {
        var id: String
        var name: String
        var selected: Bool
    }

    struct DayView: Encodable {
        var iso: String
        var label: String
        var previous: String?
        var next: String?
        var isToday: Bool
        var timeZone: String
    }
}

/// The day's windows and the requests without one; its root element is the live section.
struct BoardWindowsView: Encodable {
    var fragmentURL: String
    var csrf: String
    var marketID: String
    var date: String
    var windows: [WindowView]
    var unscheduled: [ItemView]
}

struct WindowView: Encodable {
    var anchor: String
    var label: String
    /// The window's start as Station names it (ISO 8601), for the capacity form.
    var start: String
    var booked: Int
    var capacity: Int
    var closed: Bool
    var full: Bool
    var items: [ItemView]
    var places: String
    var placesError: String?
    /// The requests a refused capacity change would have dropped.
    var affected: [String]
}

struct ItemView: Encodable {
    var id: String
    var patientName: String
    var requester: String
    var serviceLine: String
    var status: String
    var statusKey: String
    var eta: String?
    var moves: [MoveView]
    var error: String?
    var etaDate: String
    var etaStart: String
    var etaEnd: String
    var etaDateError: String?
    var etaStartError: String?
    var etaEndError: String?
    var reason: String
    var reasonError: String?
}

struct MoveView: Encodable {
    var move: String
    var label: String
    var needsEta: Bool
    var needsReason: Bool
}

/// What the dispatcher typed and what went wrong, to show again beside the request or window it was about.
struct BoardFormState {
    var items: [String: ItemState] = [:]
    var windows: [Date: WindowState] = [:]

    struct ItemState {
        var message: String?
        var errors = BoardFormErrors([:])
        var estimate = ArrivalEstimateForm(date: "", start: "", end: "")
        var reason = ""
    }

    struct WindowState {
        var places: String
        var message: String?
        var affected: [CareRequestID] = []
    }
}

extension BoardWindowsView {
    init(_ board: BoardStation.Board, day: BoardDay, market: MarketID, csrf: String, state: BoardFormState) {
        fragmentURL = "/board/windows?market=\(market.wire)&date=\(day.date.iso)"
        self.csrf = csrf
        marketID = market.wire
        date = day.date.iso
        let every = board.windows.flatMap(\.requests) + board.unscheduled
        let names = Dictionary(every.map { ($0.id, $0.patientName) }, uniquingKeysWith: { a, _ in a })
        windows = board.windows.map { window in
            let typed = state.windows[window.start]
            return WindowView(
                anchor: "window-\(day.clock(window.start).replacingOccurrences(of: ":", with: ""))",
                label: day.clockRange(DateInterval(start: window.start, end: window.end)),
                start: window.start.formatted(.iso8601), booked: window.booked, capacity: window.capacity,
                closed: window.capacity == 0, full: window.booked >= window.capacity,
                items: window.requests.map { ItemView($0, day: day, state: state.items[$0.id]) },
                places: typed?.places ?? String(window.capacity), placesError: typed?.message,
                affected: (typed?.affected ?? []).map { names[$0.wire] ?? "Request \($0.wire)" })
        }
        unscheduled = board.unscheduled.map { ItemView($0, day: day, state: state.items[$0.id]) }
    }
}

extension ItemView {
    init(_ item: Components.Schemas.BoardItem, day: BoardDay, state: BoardFormState.ItemState?) {
        id = item.id
        patientName = item.patientName
        requester = item.partnerName ?? "Patient (self)"
        serviceLine = item.serviceLine.name
        let current = CareRequestStatus(rawValue: item.status.rawValue)
        status = current.map(BoardWording.status) ?? item.status.rawValue
        statusKey = item.status.rawValue
        if let start = item.etaStart, let end = item.etaEnd, end > start {
            eta = day.clockRange(DateInterval(start: start, end: end))
        }
        moves = BoardMove.offered(for: item.allowedNext.compactMap { CareRequestStatus(rawValue: $0.rawValue) })
            .map {
                MoveView(
                    move: $0.rawValue, label: $0.label, needsEta: $0.needsArrivalEstimate, needsReason: $0.needsReason)
            }
        error = state?.message
        let window = zip(item.windowStart.map(day.clock), item.windowEnd.map(day.clock))
        etaDate = state?.estimate.date ?? day.date.iso
        etaStart = state?.estimate.start ?? window?.0 ?? ""
        etaEnd = state?.estimate.end ?? window?.1 ?? ""
        etaDateError = state?.errors[.etaDate]
        etaStartError = state?.errors[.etaStart]
        etaEndError = state?.errors[.etaEnd]
        reason = state?.reason ?? ""
        reasonError = state?.errors[.reason]
    }
}

/// Optional pair: both or nothing.
private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}

/// Words the board uses for statuses.
enum BoardWording {
    static func status(_ status: CareRequestStatus) -> String {
        switch status {
        case .pendingTriage: "Waiting for a nurse"
        case .requested: "Requested"
        case .accepted: "Accepted"
        case .scheduled: "Scheduled"
        case .onRoute: "On the way"
        case .onScene: "On scene"
        case .complete: "Complete"
        case .archived: "Archived"
        }
    }
}
