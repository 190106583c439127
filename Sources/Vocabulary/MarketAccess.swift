/// The markets a staff member works in, carried in their tokens as the `markets` claim: market ids, or `*` for
/// every market. Staff see and change only what lies in their markets; a missing claim reaches none.
package enum MarketAccess: Sendable, Equatable {
    case all
    case only(Set<MarketID>)

    /// The claim's value for every market.
    package static let everyMarket = "*"

    /// Reads the claim; values that are neither `*` nor a market id are ignored, and no claim reaches nothing.
    package init(claim: [String]?) {
        guard let claim else {
            self = .only([])
            return
        }
        if claim.contains(Self.everyMarket) {
            self = .all
        } else {
            self = .only(Set(claim.compactMap(MarketID.init(wire:))))
        }
    }

    /// The claim's value, sorted so tokens are stable.
    package var claim: [String] {
        switch self {
        case .all: [Self.everyMarket]
        case .only(let markets): markets.map(\.wire).sorted()
        }
    }

    package func allows(_ market: MarketID) -> Bool {
        switch self {
        case .all: true
        case .only(let markets): markets.contains(market)
        }
    }

    /// The ids to filter by, or nil for every market.
    package var ids: Set<MarketID>? {
        switch self {
        case .all: nil
        case .only(let markets): markets
        }
    }
}
