import Foundation
import Platform
import StationAPI
import StationDomain
import Vocabulary

extension Problem {
    init(_ errors: FieldErrors) {
        self = .validation(errors.entries.map { FieldError(field: $0.field, message: $0.message) })
    }
}

extension StationError {
    package var problem: Problem {
        switch self {
        case .notFound(let what):
            return .notFound("No such \(what).")
        case .invalid(let errors):
            return Problem(errors)
        case .windowFull(let next):
            return Problem.conflict(
                next.isEmpty
                    ? "That time window is full and no other window has room in the next two weeks. Please call us."
                    : "That time window has just filled up. Please choose one of the next available windows.",
                slug: "time-window-full"
            )
            .with("next_available_windows", next.map(Components.Schemas.TimeWindowAvailability.init))
        case .idempotencyKeyReused:
            return Problem(
                status: .unprocessableEntity, slug: "idempotency-key-reused", title: "Idempotency key reused",
                detail:
                    "This Idempotency-Key was already used for a different request. Use a new key for each new request or change."
            )
        case .idempotencyKeyInFlight:
            return .conflict(
                "A request with this Idempotency-Key is still being processed. Retry in a moment.",
                slug: "idempotency-key-in-flight")
        case .transition(.notAllowed(let from, let to)):
            return .conflict(
                "A care request cannot move from \(from.rawValue) to \(to.rawValue).", slug: "invalid-transition")
        case .transition(.reasonRequired):
            return .validation([.init(field: "reason", message: "is required to archive a care request")])
        case .transition(.etaRequired):
            return .validation([.init(field: "eta", message: "is required to schedule a care request")])
        case .transition(.etaOutOfRange):
            return .validation([
                .init(field: "eta", message: "must lie between yesterday and the end of the booking horizon")
            ])
        case .statusConflict(let conflict):
            return Problem.conflict(conflict.detail, slug: "status-conflict").typed(StationError.statusConflictType)
                .with("current_status", conflict.current.rawValue)
        case .capacityBelowBooked(let affected):
            return Problem.conflict(
                "\(affected.count) care request\(affected.count == 1 ? " is" : "s are") booked in this window: "
                    + "it cannot have fewer places. Move or archive them first.",
                slug: "capacity-below-booked"
            )
            .with("affected_care_requests", affected.map(\.wire))
        case .changeClosed(let closed):
            return .changeClosed(closed, supportPhone: StationConfig.defaultSupportPhone)
        case .visitNotPlanned(.status(let status)):
            return Problem.conflict(
                "Only an open request past triage is planned, so only its visit can run longer or move; this one is "
                    + "\(status.rawValue.replacingOccurrences(of: "_", with: " ")).",
                slug: "visit-not-planned"
            )
            .with("current_status", status.rawValue)
        case .visitNotPlanned(.noWindow):
            return Problem.conflict(
                "This request has no time window booked, so it is not planned: its visit cannot run longer or move.",
                slug: "visit-not-planned")
        case .visitNotPlanned(.unplanned):
            return Problem.conflict(
                "The day's plan does not fit this visit, so it has no place in a route to move: move it to a team "
                    + "instead, or look at why it is not planned.",
                slug: "visit-not-planned")
        case .planNotAccepted:
            return Problem.conflict(
                "Stops are put in order by hand only once the day's plan is accepted: until then the planner orders "
                    + "every stop itself. Accept the plan first.",
                slug: "plan-not-accepted")
        case .moveBreaksPlan(let broken):
            var parts: [String] = []
            if let reason = broken.visitReason { parts.append(PlanBreak.text(reason, team: broken.teamName)) }
            if !broken.others.isEmpty {
                let count = broken.others.count
                parts.append(
                    "Moving it \(broken.reordered ? "there" : "to \(broken.teamName)") leaves \(count) other visit\(count == 1 ? "" : "s") of the day "
                        + "unplanned.")
            }
            var problem = Problem.conflict(
                parts.joined(separator: " ") + " Nothing was changed.", slug: "move-breaks-plan"
            )
            .with("affected_care_requests", broken.others.map(\.wire))
            if let reason = broken.visitReason { problem = problem.with("reason", reason) }
            return problem
        case .planChanged:
            return .conflict(
                "The plan changed since it was shown (a booking, a care team or a shift changed). "
                    + "Look at the new plan and accept it again.",
                slug: "plan-changed")
        case .clockOutOfRange:
            return .internalError
        }
    }
}

extension PlanBreak {
    /// Why `team` cannot make the visit, from the planner's reason code.
    static func text(_ reason: String, team: String) -> String {
        switch reason {
        case "no_team_with_service_line": "\(team) does not deliver this visit's service line."
        case "outside_every_shift":
            "\(team)'s shift cannot reach this visit inside its window and get back in time."
        case "over_capacity": "This visit needs more than \(team) can take."
        case "no_room_left": "\(team)'s day is full around this visit's window."
        case "pinned_team_not_working", "no_team_working": "\(team) does not work this day."
        case "address_not_located": "The planner cannot place this visit's address."
        case "order_misses_window":
            "In that order, \(team) cannot make every one of its visits inside its window and within its shift."
        default: "\(team) cannot make this visit."
        }
    }
}

extension Problem {
    /// A requester's change refused because the visit has started or ended (or has no window to move): 409
    /// saying to call, with the number, as the contract with OSS names it.
    static func changeClosed(_ closed: RequesterChange.Closed, supportPhone: String) -> Problem {
        var problem = Problem.conflict(closed.detail(supportPhone: supportPhone), slug: "change-closed")
            .typed(StationError.changeClosedType).with("support_phone", supportPhone)
        switch closed {
        case .started(let status), .ended(let status): problem = problem.with("current_status", status.rawValue)
        case .noWindow: break
        }
        return problem
    }
}

extension StationError: ProblemConvertible {
    /// The problem type of a move that lost to another (``StatusConflict``), as the contract with Console names it.
    static let statusConflictType = "https://selfscheduling.example/problems/status-conflict"
    /// The problem type of a requester's change the visit no longer allows (``RequesterChange/Closed``).
    static let changeClosedType = "https://selfscheduling.example/problems/change-closed"
}

extension PageCursor.Invalid: ProblemConvertible {
    package var problem: Problem {
        Problem(
            status: .badRequest, slug: "invalid-cursor", title: "Bad request",
            detail: "The cursor is not one this list issued; start again from the first page.",
            errors: [.init(field: "cursor", message: "is not a cursor this list issued")])
    }
}

extension UnmappedCase: ProblemConvertible {
    var problem: Problem { .internalError }
}

extension Problem {
    /// A 400 for bad query parameters, naming each.
    static func badQuery(_ errors: [FieldError]) -> Problem {
        Problem(
            status: .badRequest, slug: "bad-request", title: "Bad request",
            detail: errors.map { "\($0.field) \($0.message)" }.joined(separator: "; "), errors: errors)
    }
}

extension FieldErrors: ProblemConvertible {
    package var problem: Problem { Problem(self) }
}
