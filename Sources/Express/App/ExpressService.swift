import Fluent
import Foundation
import Platform
import Vapor

/// Everything Express's pages and APIs need, built once by ``ExpressApp/configure``.
struct ExpressService: Sendable {
    let config: ExpressConfig
    /// Asked on every use, so each query runs on the caller's event loop and its connection pool; one handle
    /// kept from startup pinned every query of every request to a single loop's pool.
    let database: @Sendable () -> any Database
    var db: any Database { database() }
    let gate: WriteGate
    let station: any StationGateway
    let handoffs: any HandoffGateway
    let accounts: any AccountProvisioner
    let analytics: any AnalyticsSink
    let now: @Sendable () -> Date

    var audit: AuditLog { AuditLog(db: db, gate: gate, now: now) }

    func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await gate.run { try await db.transaction { try await body($0) } }
    }

    /// Product analytics for a signed-in user's action; synthetic monitoring's are not people using the product.
    func track(_ event: String, user: SessionUser, properties: [String: String]) async {
        guard !user.synthetic else { return }
        await analytics.track(event, userID: user.id, properties: properties)
    }

    func user(_ id: UUID) async throws -> UserModel? { try await UserModel.find(id, on: db) }

    func user(email: String) async throws -> UserModel? {
        try await UserModel.query(on: db).filter(\.$email == email.lowercased().trimmingCharacters(in: .whitespaces)).first()
    }

    func partner(_ id: UUID) async throws -> PartnerModel? { try await PartnerModel.find(id, on: db) }

    /// The partner's features in effect (see ``FeatureFlag/inEffect(_:)``).
    func flags(_ partner: UUID) async throws -> Set<FeatureFlag> {
        FeatureFlag.inEffect(Set(try await FeatureFlagModel.query(on: db).filter(\.$partnerID == partner).filter(\.$enabled == true).all()
            .compactMap { FeatureFlag(rawValue: $0.flag) }))
    }

    func setFlag(_ flag: FeatureFlag, partner: UUID, enabled: Bool) async throws {
        let at = now()
        try await write { db in
            if let row = try await FeatureFlagModel.query(on: db).filter(\.$partnerID == partner).filter(\.$flag == flag.rawValue).first() {
                row.enabled = enabled
                row.updatedAt = at
                try await row.save(on: db)
            } else {
                let row = FeatureFlagModel()
                row.id = UUID()
                row.partnerID = partner
                row.flag = flag.rawValue
                row.enabled = enabled
                row.updatedAt = at
                try await row.create(on: db)
            }
        }
    }

    func preferences(_ user: UUID) async throws -> PreferencesModel {
        if let found = try await PreferencesModel.find(user, on: db) { return found }
        let defaults = PreferencesModel()
        defaults.id = user
        defaults.timeZone = "America/Denver"
        defaults.pageSize = 25
        defaults.emailNotifications = false
        return defaults
    }

    /// Who created each care request, by id: the creator OSS's signed callback recorded or, until it arrives,
    /// the Express user Station recorded with the request (OSS sends it), if that user is of this partner.
    /// Nothing a browser sends decides it.
    func creators(of careRequests: [(id: UUID, recordedBy: String?)], partner: UUID) async throws -> [UUID: UserModel] {
        guard !careRequests.isEmpty else { return [:] }
        let links = try await CareRequestUserModel.query(on: db).filter(\.$id ~~ careRequests.map(\.id)).all()
        var creatorOf = Dictionary(links.map { ($0.id!, $0.userID) }, uniquingKeysWith: { a, _ in a })
        for request in careRequests where creatorOf[request.id] == nil {
            if let user = request.recordedBy.flatMap(UUID.init(uuidString:)) { creatorOf[request.id] = user }
        }
        let users = try await UserModel.query(on: db).filter(\.$id ~~ Set(creatorOf.values)).filter(\.$partnerID == partner).all()
        let byID = Dictionary(uniqueKeysWithValues: users.map { ($0.id!, $0) })
        return creatorOf.compactMapValues { byID[$0] }
    }

    /// Records who created a care request, once; a second record for the same request changes nothing.
    func link(careRequest: UUID, partner: UUID, user: UUID) async throws {
        let at = now()
        try await write { db in
            guard try await CareRequestUserModel.find(careRequest, on: db) == nil else { return }
            let row = CareRequestUserModel()
            row.id = careRequest
            row.partnerID = partner
            row.userID = user
            row.createdAt = at
            try await row.create(on: db)
        }
    }
}
