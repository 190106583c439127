import Fluent
import Foundation

/// One administration change: who made it, what it was, to which partner, market or service line, and when.
final class AdminChangeModel: Model, @unchecked Sendable {
    static let schema = "admin_changes"

    @ID(key: .id) var id: UUID?
    @Field(key: "actor") var actor: String
    @Field(key: "action") var action: String
    @Field(key: "entity_id") var entityID: String
    @Field(key: "at") var at: Date

    init() {}

    init(actor: String, action: String, entityID: String, at: Date) {
        self.id = UUID()
        self.actor = actor
        self.action = action
        self.entityID = entityID
        self.at = at
    }
}
