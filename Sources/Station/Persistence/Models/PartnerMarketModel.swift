import Fluent
import Foundation

/// One market a partner may book in (for a partner whose `all_markets` is false).
final class PartnerMarketModel: Model, @unchecked Sendable {
    static let schema = "partner_markets"

    @ID(key: .id) var id: UUID?
    @Field(key: "partner_id") var partnerID: UUID
    @Field(key: "market_id") var marketID: UUID

    init() {}

    init(partnerID: UUID, marketID: UUID) {
        self.id = UUID()
        self.partnerID = partnerID
        self.marketID = marketID
    }
}
