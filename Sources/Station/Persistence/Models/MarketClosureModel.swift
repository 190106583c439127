import Fluent
import Foundation

/// A market-local day the market is closed; `date` is YYYY-MM-DD, so dates sort as text.
final class MarketClosureModel: Model, @unchecked Sendable {
    static let schema = "market_closures"

    @ID(key: .id) var id: UUID?
    @Field(key: "market_id") var marketID: UUID
    @Field(key: "date") var date: String
    @Field(key: "reason") var reason: String

    init() {}

    init(marketID: UUID, date: String, reason: String) {
        self.id = UUID()
        self.marketID = marketID
        self.date = date
        self.reason = reason
    }
}
