import Foundation
import OSSDomain
import Platform
import Vapor
import Vocabulary

/// What `change.leaf` shows on one page of a reschedule or a cancellation.
struct ChangePage: Encodable {
    /// `reschedule`, `address`, `reschedule-confirm`, `cancel` or `cancel-confirm`.
    var stage: String
    var heading: String
    /// The request's pages, `<prefix>/requests/<id>`: the forms post under it.
    var base: String
    /// The visit's window now, in words (nil while a nurse has yet to set one).
    var current: String?
    var currentAddress: String
    var newAddress: String?
    var newWindow: String?
    var windows: [StepPage.WindowDay] = []
    var reasons: [Reason] = []
    var reasonLabel: String?
    var note: String = ""
    /// The new address form's values as typed.
    var values: [String: String] = [:]
    var errors: [String: String] = [:]
    /// The error summary: each problem links to its field.
    var problems: [Problem] = []
    var notice: String?
    var keepURL: String
    var noteLimit = RequestChange.noteLimit

    struct Reason: Encodable {
        var value: String
        var label: String
        var checked: Bool
    }

    struct Problem: Encodable {
        var anchor: String
        var message: String
    }
}

extension ChangeController {
    /// The page for `stage` of the change of `subject`'s request, with what every stage shows.
    func page(_ stage: String, _ subject: Subject, errors: [String: String] = [:], notice: String? = nil)
        -> ChangePage
    {
        let request = subject.request
        let anchors = ["window_start": "#windows", "reason": "#reason-\(CancellationReason.allCases[0].rawValue)"]
        let order = ["window_start", "line1", "city", "state", "zip", "reason", "note"]
        return ChangePage(
            stage: stage,
            heading: stage.hasPrefix("cancel") ? "Cancel the visit" : "Change the visit's time",
            base: app.path("/requests/\(request.id.wire)"),
            current: request.timeWindow.map { Self.words($0.start, $0.end, zone: subject.zone) },
            currentAddress: Self.words(request.visitAddress), errors: errors,
            problems: errors.sorted { (order.firstIndex(of: $0.key) ?? 99) < (order.firstIndex(of: $1.key) ?? 99) }
                .map { .init(anchor: anchors[$0.key] ?? "#\($0.key)", message: $0.value) },
            notice: notice, keepURL: keepURL(subject))
    }

    func render(_ req: Request, _ page: ChangePage, status: HTTPResponseStatus = .ok) async throws -> Response {
        try await req.ossPage("change", page.heading, app: app, page, status: status)
    }

    static func words(_ start: Date, _ end: Date, zone: TimeZone) -> String {
        "\(DateText.string(start, "EEEE, MMMM d, h:mm a", zone: zone)) – \(DateText.string(end, "h:mm a zzz", zone: zone))"
    }

    static func words(_ a: PostalAddress) -> String {
        [a.line1, a.line2 ?? "", "\(a.city), \(a.state) \(a.zip)"].filter { !$0.isEmpty }.joined(separator: ", ")
    }

    static func words(_ a: Draft.VisitAddress) -> String {
        [a.line1, a.line2, "\(a.city), \(a.state) \(a.zip)"].filter { !$0.isEmpty }.joined(separator: ", ")
    }

    /// A fresh `Idempotency-Key` for a new choice: a repeat of the same choice's confirmation reuses it.
    static func newKey() -> String { UUID().uuidString.lowercased() }
}
