import Fluent
import Foundation
import Platform
import Vocabulary

/// The demo partners, users and flags: both phases on for Sunrise, only phase 1 for Mercy.
struct DemoSeeder {
    let service: ExpressService

    static let users: [(partner: UUID, email: String, name: String, role: PartnerRole)] = [
        (DemoPartners.sunriseID, "admin@sunrise.example", "Ada Admin", .admin),
        (DemoPartners.sunriseID, "scheduler@sunrise.example", "Sam Scheduler", .scheduler),
        (DemoPartners.sunriseID, "viewer@sunrise.example", "Vic Viewer", .viewer),
        (DemoPartners.mercyID, "admin@mercy.example", "Maya Admin", .admin),
    ]

    /// The smoke check's users: schedulers whose care requests are synthetic (archived at once, in no list).
    static let monitors: [(partner: UUID, email: String, name: String)] = [
        (DemoPartners.sunriseID, "monitor@sunrise.example", "Synthetic Monitor")
    ]

    func seedIfEmpty() async throws -> Bool {
        guard try await PartnerModel.query(on: service.db).count() == 0 else { return false }
        let at = service.now()
        try await service.write { db in
            for partner in DemoPartners.all {
                try await PartnerModel(id: partner.id, slug: partner.slug, name: partner.name).create(on: db)
            }
            for user in Self.users {
                try await UserModel(
                    partnerID: user.partner, email: user.email, name: user.name, role: user.role, at: at
                ).create(on: db)
            }
            for user in Self.monitors {
                try await UserModel(
                    partnerID: user.partner, email: user.email, name: user.name, role: .scheduler, at: at,
                    synthetic: true
                ).create(on: db)
            }
        }
        try await service.setFlag(
            .stationCareRequests, partner: PartnerID(rawValue: DemoPartners.sunriseID), enabled: true)
        try await service.setFlag(.ossHandoff, partner: PartnerID(rawValue: DemoPartners.sunriseID), enabled: true)
        try await service.setFlag(
            .stationCareRequests, partner: PartnerID(rawValue: DemoPartners.mercyID), enabled: true)
        try await service.setFlag(.ossHandoff, partner: PartnerID(rawValue: DemoPartners.mercyID), enabled: false)
        return true
    }
}
