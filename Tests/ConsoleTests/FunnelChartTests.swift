import ConsoleDomain
import Foundation
import Testing
import Vocabulary

/// The funnel page's SVG builders and filters, without a server.
@Suite("Funnel charts")
struct FunnelChartTests {
    let bars: [FunnelChart.Bar] = [
        .init(label: "Handoffs started", count: 10, conversion: nil),
        .init(label: "Handoffs redeemed", count: 5, conversion: 0.5),
        .init(label: "Created <fast>", count: 0, conversion: 0),
    ]

    @Test("the funnel is an image named by its title and described with every figure in words")
    func funnelIsAccessible() {
        let svg = FunnelChart(id: "funnel-x", title: "Funnel: Sunrise & Co", bars: bars).svg
        #expect(svg.hasPrefix("<svg "))
        #expect(svg.contains(#"role="img" aria-labelledby="funnel-x-title" aria-describedby="funnel-x-desc""#))
        #expect(svg.contains(#"<title id="funnel-x-title">Funnel: Sunrise &amp; Co</title>"#))
        #expect(
            svg.contains(
                #"<desc id="funnel-x-desc">Handoffs started: 10. Handoffs redeemed: 5, 50% of the previous stage. "#
                    + "Created &lt;fast&gt;: 0, 0% of the previous stage.</desc>"))
        #expect(!svg.contains("<fast>"))
        #expect(svg.hasSuffix("</svg>"))
    }

    @Test("each bar's width is in proportion to its count, centred, the largest full width")
    func barsInProportion() {
        let svg = FunnelChart(id: "f", title: "F", bars: bars).svg
        #expect(svg.contains(#"<rect x="0" y="21" width="300" height="16""#))
        #expect(svg.contains(#"<rect x="75" y="65" width="150" height="16""#))
        #expect(svg.contains(#"<rect x="150" y="109" width="0" height="16""#))
        #expect(svg.contains(">Handoffs redeemed: 5 (50%)</text>"))
    }

    @Test("the trend shows the last eight weeks, started solid and created outlined, each with its number")
    func trendLastWeeks() {
        let weeks = (1...10).map {
            TrendChart.Week(label: "W\($0)", spoken: "the week \($0)", started: $0 * 2, created: $0)
        }
        let chart = TrendChart(id: "t", title: "Weekly trend", weeks: weeks)
        #expect(chart.shown.map(\.label) == (3...10).map { "W\($0)" })
        #expect(chart.description.hasPrefix("The last 8 weeks. The week 3: 6 started, 3 created."))
        let svg = chart.svg
        #expect(svg.contains(">W10</text>") && !svg.contains(">W2</text>"))
        #expect(svg.contains(">20</text>") && svg.contains(#"stroke-width="2"/>"#))
        #expect(svg.contains(">Started</text>") && svg.contains(">Created</text>"))
    }

    @Test("the filters read a day and a partner id; anything else is refused with a message")
    func filters() throws {
        let partner = PartnerID.random()
        let good = FunnelFilter(since: "2026-11-02", partner: partner.wire)
        #expect(good.sinceInstant == Date(timeIntervalSince1970: 1_793_577_600))
        #expect(good.partner == partner && good.sinceError == nil && good.partnerError == nil)
        let all = FunnelFilter(since: "", partner: "")
        #expect(all.since == nil && all.partner == nil && all.sinceError == nil)
        #expect(FunnelFilter(since: nil, partner: "direct").segment == "direct")
        #expect(good.segment == partner.wire && all.segment == nil)
        let bad = FunnelFilter(since: "02/11/2026", partner: "sunrise")
        #expect(bad.sinceError != nil && bad.partnerError != nil && bad.since == nil && bad.partner == nil)
    }

    @Test("weeks and screening outcomes in words")
    func wording() {
        let week = FunnelWording.week(Date(timeIntervalSince1970: 1_793_577_600))
        #expect(week.label == "Nov 2" && week.spoken == "the week of 2 November 2026")
        #expect(FunnelWording.screeningOutcome("nurse_triage") == "Nurse must call")
    }
}
