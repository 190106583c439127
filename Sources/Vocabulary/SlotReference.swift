import Foundation

/// One published time window of a market, as a SMART Scheduling Links booking link carries it
/// (`<OSS>/book?slot=<wire>`): the market and the window's start, nothing about any person.
///
/// The wire form `<market id>.<start, Unix seconds>` (47 characters of `[0-9a-f.-]`) is also a valid FHIR id.
package struct SlotReference: Sendable, Hashable {
    package var market: MarketID
    package var start: Date

    package init(market: MarketID, start: Date) {
        self.market = market
        self.start = Date(timeIntervalSince1970: start.timeIntervalSince1970.rounded(.down))
    }

    /// Nil for text that is not a slot reference.
    package init?(wire text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let market = MarketID(wire: String(parts[0])), parts[1].count <= 12,
            parts[1].allSatisfy(\.isASCII), let seconds = Int(parts[1]), seconds > 0
        else { return nil }
        self.init(market: market, start: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    package var wire: String { "\(market.wire).\(Int(start.timeIntervalSince1970))" }
}
