import Foundation
import Platform
import StationAPI
import StationDomain
import Vocabulary

extension AdminRefusal: ProblemConvertible {
    package var problem: Problem {
        switch self {
        case .taken(let field, let value):
            return conflict("\(field.replacingOccurrences(of: "_", with: " ")) \(value) is taken already.", field)
        case .zipServed(let zip, let id, let name):
            return conflict("ZIP code \(zip) is served by the \(name) market already.", "zip_codes")
                .with("other_market", Components.Schemas.MarketRef(id: id.wire, name: name))
        case .bookedDay(let day, let affected):
            return Problem.conflict(
                "\(day.iso) has \(affected.count) booked care request\(affected.count == 1 ? "" : "s"): "
                    + "move or archive them before closing the day.", slug: "day-has-bookings"
            )
            .with("affected_care_requests", affected.map(\.wire))
        case .capacityBelowBooked(let affected):
            return Problem.conflict(
                "Windows ahead have more bookings than that many places: "
                    + "\(affected.count) care request\(affected.count == 1 ? " holds" : "s hold") them.",
                slug: "capacity-below-booked"
            )
            .with("affected_care_requests", affected.map(\.wire))
        case .closedDay(let day, let reason):
            return Problem.validation(
                [.init(field: "window_start", message: "falls on \(day.iso), when the market is closed (\(reason))")],
                detail: "The market is closed on \(day.iso) (\(reason)); reopen the day first.")
        }
    }

    private func conflict(_ detail: String, _ field: String) -> Problem {
        Problem(
            status: .conflict, slug: "conflict", title: "Conflict", detail: detail,
            errors: [.init(field: field, message: detail)])
    }
}

extension DayClosed: ProblemConvertible {
    package var problem: Problem {
        .validation([
            .init(field: "time_window", message: "falls on \(day.iso), when the market is closed (\(reason))")
        ])
    }
}
