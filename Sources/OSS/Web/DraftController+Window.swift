import Foundation
import OSSDomain
import Platform
import Vapor
import Vocabulary

/// The window step: the market's windows with room, and, for a draft opened by a booking link, that link's window
/// preselected or a note saying why it is not.
extension DraftController {
    func windowChoice(_ draft: Draft) async throws -> (days: [StepPage.WindowDay], note: StepPage.LinkNote?) {
        guard let market = draft.answers.market else { return ([], nil) }
        let zone = TimeZone(identifier: market.timeZone) ?? TimeZone(identifier: "America/Denver")!
        let today = service.now()
        let wanted = draft.answers.wantedSlot
        // Only windows the care teams can still make with this visit (its ZIP code, and the line OSS books).
        var visit: PlannedVisitPlace?
        if let zip = draft.answers.address?.zip {
            visit = PlannedVisitPlace(zip: zip, serviceLine: try await serviceLine())
        }
        let windows = try await WindowPicker.upcoming(
            service.downstream.station, market: market.id, zone: zone, today: today,
            through: LinkedSlot.pickerEnd(today: today, wanted: wanted, market: market.id, zone: zone), for: visit)
        let linked = LinkedSlot(
            wanted: wanted, market: market.id, chosen: draft.answers.window,
            offered: windows.filter(\.isOffered).map { DateInterval(start: $0.start, end: $0.end) })
        var chosen = draft.answers.window?.formValue
        var note = linked.map { StepPage.LinkNote(text: $0.note(zone: zone), selected: false) }
        if case .selected(let window) = linked {
            chosen = Draft.TimeWindow.formValue(start: window.start, end: window.end)
            note?.selected = true
        }
        return (WindowPicker.days(windows, zone: zone, chosen: chosen), note)
    }
}
