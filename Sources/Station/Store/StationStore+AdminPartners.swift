import Fluent
import Foundation
import StationDomain
import Vocabulary

/// A partner as operations administration sees it: who it is and where it may book.
struct PartnerSummary: Sendable, Equatable {
    var id: PartnerID
    var slug: String
    var name: String
    var marketIDs: [MarketID]
}

extension StationStore {
    /// Every partner by name, with the markets it may book in (every market for a partner made before limits).
    func partnerSummaries() async throws -> [PartnerSummary] {
        let partners = try await PartnerModel.query(on: db).sort(\.$name).all()
        let allMarkets = try await MarketModel.query(on: db).sort(\.$name).all().compactMap(\.id)
        let rows = try await PartnerMarketModel.query(on: db).all()
        let limited = Dictionary(grouping: rows, by: \.partnerID)
        return try partners.map { partner in
            let id = try partner.requireID()
            let markets =
                partner.allMarkets
                ? allMarkets
                : allMarkets.filter { market in
                    limited[id, default: []].contains { $0.marketID == market }
                }
            return PartnerSummary(
                id: PartnerID(id), slug: partner.slug, name: partner.name, marketIDs: markets.map { MarketID($0) })
        }
    }

    /// Creates a partner that may book only in `settings.marketIDs`, and records the change.
    func createPartner(_ settings: PartnerSettings, id: PartnerID = .random(), actor: String) async throws
        -> PartnerSummary
    {
        let settings = try Self.valid { () throws(FieldErrors) in try settings.validated() }
        let at = timestamp()
        try await write { db in
            var errors = FieldErrors()
            for (index, market) in settings.marketIDs.enumerated() {
                if try await MarketModel.find(market.rawValue, on: db) == nil {
                    errors.add("market_ids[\(index)]", "does not name a known market")
                }
            }
            if !errors.isEmpty { throw StationError.invalid(errors) }
            if try await PartnerModel.query(on: db).filter(\.$slug == settings.slug).first() != nil {
                throw AdminRefusal.taken(field: "slug", value: settings.slug)
            }
            try await Self.refusingDuplicate(.taken(field: "slug", value: settings.slug)) {
                try await PartnerModel(
                    id: id.rawValue, slug: settings.slug, name: settings.name, createdAt: at, allMarkets: false
                ).create(on: db)
            }
            for market in settings.marketIDs {
                try await PartnerMarketModel(partnerID: id.rawValue, marketID: market.rawValue).create(on: db)
            }
            try await Self.record(.partnerCreated, entity: id.wire, actor: actor, at: at, on: db)
        }
        return PartnerSummary(id: id, slug: settings.slug, name: settings.name, marketIDs: settings.marketIDs)
    }

    /// One row of Station's configuration audit, in the caller's transaction.
    static func record(_ action: AdminAction, entity: String, actor: String, at: Date, on db: any Database)
        async throws
    {
        try await AdminChangeModel(actor: actor, action: action.rawValue, entityID: entity, at: at).create(on: db)
    }

    /// Runs `insert`, turning the database's unique violation into `refusal`: a writer that raced this one past
    /// the same check (on PostgreSQL both may read before either commits) is refused as the check refuses.
    static func refusingDuplicate<T>(_ refusal: AdminRefusal, _ insert: () async throws -> T) async throws -> T {
        do {
            return try await insert()
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw refusal
        }
    }

    /// Runs a domain validation, turning its field errors into the store's refusal.
    static func valid<T>(_ validate: () throws(FieldErrors) -> T) throws -> T {
        do {
            return try validate()
        } catch {
            throw StationError.invalid(error)
        }
    }
}
