import Analytics
import ConsoleDomain
import Foundation

/// The typed context of `funnel.leaf`: the filters, the partners to choose from, and per segment its charts
/// (SVG markup the page embeds as is: ``FunnelChart`` and ``TrendChart`` escape every text) and the same figures
/// as tables.
struct FunnelPage: Encodable {
    struct Choice: Encodable {
        var id: String
        var name: String
        var selected: Bool
    }

    struct StageRow: Encodable {
        var label: String
        var count: Int
        /// "83%", or "—" for the first stage or after an empty one.
        var conversion: String
        /// The attempts lost since the stage before, "—" for the first stage.
        var dropOff: String
    }

    struct CountRow: Encodable {
        var label: String
        var count: Int
    }

    struct WeekRow: Encodable {
        var week: String
        var started: Int
        var created: Int
    }

    struct Segment: Encodable {
        /// For ids in the page (`funnel-<id>`): the partner id or `direct`.
        var key: String
        var name: String
        var funnelSVG: String
        var stages: [StageRow]
        var outcomes: [CountRow]
        var others: [CountRow]
        /// "4 min 10 s", or nil when no request was created.
        var medianTime: String?
        var trendSVG: String
        var weeks: [WeekRow]
    }

    struct VariantRow: Encodable {
        var experiment: String
        var variant: String
        var exposed: Int
        var reachedReview: Int
        var submitted: Int
    }

    var since: String
    /// A filter could not be read: the page shows the form and its message, no figures.
    var invalid: Bool
    var sinceError: String?
    var partnerError: String?
    var partners: [Choice]
    var directSelected: Bool
    /// Set when Console sends its events elsewhere than the local file (the page reads only that file).
    var deliveryNote: String?
    /// Lines of the file that could not be read.
    var skipped: Int
    var segments: [Segment]
    var experiments: [VariantRow]
}

extension FunnelPage {
    /// The page for `report`, naming partners with `partnerNames` (id → name; an unknown id is shown as is).
    init(
        report: FunnelReport, filter: FunnelFilter, sinceText: String, partnerNames: [(id: String, name: String)],
        deliveryNote: String?, skipped: Int
    ) {
        let names = Dictionary(partnerNames.map { ($0.id, $0.name) }) { first, _ in first }
        self.init(
            since: filter.since?.iso ?? sinceText, invalid: !filter.isValid,
            sinceError: filter.sinceError, partnerError: filter.partnerError,
            partners: partnerNames.map { Choice(id: $0.id, name: $0.name, selected: $0.id == filter.partner?.wire) },
            directSelected: filter.direct,
            deliveryNote: deliveryNote, skipped: skipped,
            segments: report.segments.map { segment in
                let name = segment.partnerID.map { names[$0] ?? "Partner \($0)" } ?? "Patients scheduling directly"
                return Segment(segment, name: name)
            },
            experiments: report.experiments.map {
                VariantRow(
                    experiment: $0.experiment, variant: $0.variant, exposed: $0.exposed,
                    reachedReview: $0.reachedReview, submitted: $0.submitted)
            })
    }
}

extension FunnelPage.Segment {
    init(_ segment: FunnelReport.Segment, name: String) {
        let key = segment.segment
        let funnel = FunnelChart(
            id: "funnel-\(key)", title: "Funnel: \(name)",
            bars: segment.stages.map { .init(label: $0.label, count: $0.count, conversion: $0.conversion) })
        let weeks = segment.weeks.map { week in
            let words = FunnelWording.week(week.start)
            return TrendChart.Week(
                label: words.label, spoken: words.spoken, started: week.started, created: week.created)
        }
        let trend = TrendChart(id: "trend-\(key)", title: "Weekly trend: \(name)", weeks: weeks)
        self.init(
            key: key, name: name, funnelSVG: funnel.svg,
            stages: segment.stages.enumerated().map { index, stage in
                .init(
                    label: stage.label, count: stage.count, conversion: SVGMarkup.percent(stage.conversion) ?? "—",
                    dropOff: index == 0 ? "—" : String(stage.dropOff))
            },
            outcomes: segment.screeningOutcomes.sorted { $0.key < $1.key }.map {
                .init(label: FunnelWording.screeningOutcome($0.key), count: $0.value)
            },
            others: [
                .init(label: "Emergency advised", count: segment.emergencyAdvised),
                .init(label: "Nurse call needed", count: segment.nurseCallNeeded),
                .init(label: "Cancellations", count: segment.cancellations),
                .init(label: "Phone pages shown", count: segment.phonePagesShown),
            ]
                + segment.phonePagesByReason.sorted { $0.key < $1.key }.map {
                    .init(label: "Phone pages: \($0.key.replacingOccurrences(of: "_", with: " "))", count: $0.value)
                },
            medianTime: segment.medianSecondsToCreated.map { FunnelText.duration($0) },
            trendSVG: trend.svg,
            weeks: zip(segment.weeks, weeks).map {
                .init(
                    week: $0.1.spoken.replacingOccurrences(of: "the week", with: "Week"), started: $0.0.started,
                    created: $0.0.created)
            })
    }
}
