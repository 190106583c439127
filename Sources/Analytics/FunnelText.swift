import Foundation

/// The funnel as plain text for a terminal: per segment a table (stage, count, conversion, drop-off), then
/// screening outcomes, emergencies, nurse calls, cancellations, phone pages, the median time from start to created
/// and the weekly trend; then the experiments.
package enum FunnelText {
    /// `partnerNames` maps partner ids to names for headings; an unknown partner is shown by its id.
    package static func render(_ report: FunnelReport, partnerNames: [String: String]) -> String {
        var lines = ["Self-scheduling funnel, \(period(report))"]
        if report.segments.isEmpty {
            lines += ["", "No events in this period."]
        }
        for segment in report.segments {
            lines += [""] + render(segment, partnerNames: partnerNames)
        }
        if !report.experiments.isEmpty {
            lines += ["", "Experiments (people exposed; their attempts that reached the review step, and submitted)"]
            lines += report.experiments.map {
                "  \($0.experiment) \($0.variant): \($0.exposed) exposed, \($0.reachedReview) reached review, "
                    + "\($0.submitted) submitted"
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func render(_ segment: FunnelReport.Segment, partnerNames: [String: String]) -> [String] {
        let heading =
            segment.partnerID.map { id in partnerNames[id].map { "\($0) (\(id))" } ?? "Partner \(id)" }
            ?? "Patients scheduling directly"
        var lines = [heading, row("Stage", "Count", "Conversion", "Drop-off")]
        lines += segment.stages.map { stage in
            row(
                stage.label, String(stage.count), stage.conversion.map(percent) ?? "",
                stage.key == "started" ? "" : String(stage.dropOff))
        }
        if segment.nurseCallNeeded > 0 {
            lines.append(
                "  Attempts a nurse must call skip the time window step (\(segment.nurseCallNeeded) this period).")
        }
        let outcomes = segment.screeningOutcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        lines.append("  Screening outcomes: " + outcomes.joined(separator: ", "))
        lines.append("  Emergency advised: \(segment.emergencyAdvised)")
        lines.append("  Nurse call needed: \(segment.nurseCallNeeded)")
        lines.append("  Cancellations: \(segment.cancellations)")
        let reasons = segment.phonePagesByReason.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        lines.append(
            "  Phone pages shown: \(segment.phonePagesShown)"
                + (reasons.isEmpty ? "" : " (" + reasons.joined(separator: ", ") + ")"))
        lines.append(
            "  Median time from start to created: " + (segment.medianSecondsToCreated.map(duration) ?? "none created"))
        if !segment.weeks.isEmpty {
            lines.append("  Weekly trend (weeks from Monday, UTC):")
            lines += segment.weeks.map {
                "    Week of \(day($0.start)): \($0.started) started, \($0.created) created"
            }
        }
        return lines
    }

    /// "4 min 10 s", "5 min", "42 s", "2 h 5 min", "3 d 4 h": the two largest units, a zero second one left out.
    package static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let parts = [
            (total / 86_400, "d"), (total % 86_400 / 3_600, "h"), (total % 3_600 / 60, "min"), (total % 60, "s"),
        ]
        let largest = parts.firstIndex { $0.0 > 0 } ?? parts.count - 1
        return parts[largest...].prefix(2).enumerated().filter { $0.offset == 0 || $0.element.0 > 0 }
            .map { "\($0.element.0) \($0.element.1)" }.joined(separator: " ")
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    private static func row(_ label: String, _ count: String, _ conversion: String, _ dropOff: String) -> String {
        let line =
            "  " + label.padding(toLength: 32, withPad: " ", startingAt: 0) + pad(count, 6) + pad(conversion, 12)
            + pad(dropOff, 10)
        return String(line.reversed().drop { $0 == " " }.reversed())
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    private static func period(_ report: FunnelReport) -> String {
        let from = report.since.map(time) ?? "the first event"
        let to = report.until.map(time) ?? "now"
        let scope = report.partner.map {
            $0 == FunnelReport.direct ? ", patients scheduling directly" : ", partner \($0)"
        }
        return "\(from) to \(to)" + (scope ?? "")
    }

    private static func time(_ date: Date) -> String { date.formatted(.iso8601) }

    private static func day(_ date: Date) -> String { date.formatted(.iso8601.year().month().day()) }
}
