import Fluent
import Foundation

final class PartnerModel: Model, @unchecked Sendable {
    static let schema = "partners"

    @ID(key: .id) var id: UUID?
    @Field(key: "slug") var slug: String
    @Field(key: "name") var name: String
    @Field(key: "created_at") var createdAt: Date
    /// Whether the partner books in every market (all partners made before markets were limited); otherwise
    /// only in those of `partner_markets`.
    @Field(key: "all_markets") var allMarkets: Bool

    init() {}

    init(id: UUID, slug: String, name: String, createdAt: Date, allMarkets: Bool = true) {
        self.id = id
        self.slug = slug
        self.name = name
        self.createdAt = createdAt
        self.allMarkets = allMarkets
    }
}
