import ExpressDomain
import Fluent
import Foundation
import Platform
import SQLKit
import Vocabulary

/// Everything Express's pages and APIs need, built once by ``ExpressApp/configure``.
struct ExpressService: Sendable {
    let config: ExpressConfig
    let database: ServiceDatabase
    var db: any Database { database.db }
    var gate: WriteGate { database.gate }
    let station: any StationGateway
    let handoffs: any HandoffGateway
    let accounts: any AccountProvisioner
    let backendClients: any BackendClientRegistry
    /// Product analytics (ExpressService+Analytics.swift).
    let tracker: Tracker
    let now: @Sendable () -> Date
    /// The open live pages of this instance (Events/).
    let live = LiveEventHub()
    /// Station's markets, kept a minute (``markets()``).
    let keptMarkets = KeptValue<[Market]>(lifetime: .seconds(60))

    var audit: AuditLog { AuditLog(database: database, now: now) }

    func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await database.write(body)
    }

    func user(_ id: UserID) async throws -> UserModel? { try await UserModel.find(id.rawValue, on: db) }

    func user(email: String) async throws -> UserModel? {
        try await UserModel.query(on: db).filter(\.$email == email.lowercased().trimmingCharacters(in: .whitespaces))
            .first()
    }

    /// Station's markets, read at most once a minute: the list's filter and the profile offer them on every page,
    /// and a market is added or renamed seldom. A failed read is not kept.
    func markets() async throws -> [Market] { try await keptMarkets.value { try await station.markets() } }

    func partner(_ id: PartnerID) async throws -> PartnerModel? { try await PartnerModel.find(id.rawValue, on: db) }

    /// The partner's features in effect (see ``FeatureFlag/inEffect(_:)``).
    func flags(_ partner: PartnerID) async throws -> Set<FeatureFlag> {
        // SQL text, decoded by column: most pages ask it, and a model read reflects over every property.
        let rows = try await db.sql.raw(
            "SELECT flag FROM feature_flags WHERE partner_id = \(bind: partner.rawValue) AND enabled = \(bind: true)"
        ).all()
        return FeatureFlag.inEffect(
            Set(try rows.compactMap { FeatureFlag(rawValue: try $0.decode(column: "flag", as: String.self)) }))
    }

    func setFlag(_ flag: FeatureFlag, partner: PartnerID, enabled: Bool) async throws {
        let at = now()
        try await write { db in try await Self.setFlag(flag, partner: partner, enabled: enabled, at: at, on: db) }
    }

    /// Switches `flag` in the caller's transaction.
    static func setFlag(_ flag: FeatureFlag, partner: PartnerID, enabled: Bool, at: Date, on db: any Database)
        async throws
    {
        if let row = try await FeatureFlagModel.query(on: db).filter(\.$partnerID == partner.rawValue).filter(
            \.$flag == flag.rawValue
        )
        .first() {
            row.enabled = enabled
            row.updatedAt = at
            try await row.save(on: db)
        } else {
            let row = FeatureFlagModel()
            row.id = UUID()
            row.partnerID = partner.rawValue
            row.flag = flag.rawValue
            row.enabled = enabled
            row.updatedAt = at
            try await row.create(on: db)
        }
    }

    func preferences(_ user: UserID) async throws -> PreferencesModel {
        if let found = try await PreferencesModel.find(user.rawValue, on: db) { return found }
        let defaults = PreferencesModel()
        defaults.id = user.rawValue
        defaults.timeZone = "America/Denver"
        defaults.pageSize = 25
        defaults.notifyAbout = NotificationScope.none.rawValue
        defaults.notifyDelivery = NotificationDelivery.immediate.rawValue
        return defaults
    }

    /// Who created each care request, by id: the creator OSS's signed callback recorded or, until it arrives,
    /// the Express user Station recorded with the request (OSS sends it), if that user is of this partner.
    /// Nothing a browser sends decides it.
    func creators(of careRequests: [(id: CareRequestID, recordedBy: UserID?)], partner: PartnerID) async throws
        -> [CareRequestID: Creator]
    {
        guard !careRequests.isEmpty else { return [:] }
        // Two statements of SQL text decoded by column (a list page runs both): model reads reflect over every
        // property of every row.
        let links = try await db.sql.raw(
            """
            SELECT care_request_id, user_id FROM care_request_users \
            WHERE care_request_id IN (\(binds: careRequests.map(\.id.rawValue)))
            """
        ).all()
        var creatorOf = [CareRequestID: UUID]()
        for link in links {
            let id = CareRequestID(rawValue: try link.decode(column: "care_request_id", as: UUID.self))
            if creatorOf[id] == nil { creatorOf[id] = try link.decode(column: "user_id", as: UUID.self) }
        }
        for request in careRequests where creatorOf[request.id] == nil {
            if let user = request.recordedBy { creatorOf[request.id] = user.rawValue }
        }
        let ids = Array(Set(creatorOf.values))
        guard !ids.isEmpty else { return [:] }
        let users = try await db.sql.raw(
            "SELECT id, name FROM users WHERE id IN (\(binds: ids)) AND partner_id = \(bind: partner.rawValue)"
        ).all()
        var byID = [UUID: Creator]()
        for user in users {
            let id = try user.decode(column: "id", as: UUID.self)
            byID[id] = Creator(id: UserID(rawValue: id), name: try user.decode(column: "name", as: String.self))
        }
        return creatorOf.compactMapValues { byID[$0] }
    }

    /// A care request's creator as pages name them.
    struct Creator: Sendable, Equatable {
        var id: UserID
        var name: String
    }

    /// "You", the creator's name, or a dash, for `viewer`.
    static func createdBy(_ creator: Creator?, viewer: UserID) -> String {
        Wording.createdBy(creator.map { ($0.id, $0.name) }, viewer: viewer)
    }

    /// Records who created a care request, once; a second record for the same request changes nothing.
    func link(careRequest: CareRequestID, partner: PartnerID, user: UserID) async throws {
        let at = now()
        try await write { db in
            try await db.sql.insert(into: CareRequestUserModel.schema)
                .columns("care_request_id", "partner_id", "user_id", "created_at")
                .values(SQLBind(careRequest.rawValue), SQLBind(partner.rawValue), SQLBind(user.rawValue), SQLBind(at))
                .ignoringConflicts(with: "care_request_id")
                .run()
        }
    }
}
