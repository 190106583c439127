import Fluent
import Foundation
import SQLKit
import Vocabulary

extension StationStore {
    func partner(_ id: PartnerID) async throws -> PartnerModel? {
        try await PartnerModel.find(id.rawValue, on: db)
    }

    /// Whether `id` names a partner: one SQLKit read, for the booking path that needs no more of it.
    func partnerExists(_ id: PartnerID) async throws -> Bool {
        try await db.sql.raw("SELECT 1 AS found FROM partners WHERE id = \(bind: id.rawValue)").first() != nil
    }

    func partner(slug: String) async throws -> PartnerModel? {
        try await PartnerModel.query(on: db).filter(\.$slug == slug).first()
    }

    func markets() async throws -> [MarketModel] {
        try await MarketModel.query(on: db).sort(\.$name).all()
    }

    func market(_ id: MarketID) async throws -> MarketModel? {
        try await MarketModel.find(id.rawValue, on: db)
    }

    func market(servingZip zip: String) async throws -> MarketModel? {
        try await markets().first { $0.zipCodes.contains(zip) }
    }

    func serviceLines() async throws -> [ServiceLineModel] {
        try await ServiceLineModel.query(on: db).sort(\.$name).all()
    }

    func serviceLine(_ id: ServiceLineID) async throws -> ServiceLineModel? {
        try await ServiceLineModel.find(id.rawValue, on: db)
    }
}
