import Fluent

struct M008_CreateSignInThrottles: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SignInThrottleStore.table)
            .field("key", .string, .identifier(auto: false))
            .field("attempts", .int, .required)
            .field("blocked_until", .datetime)
            .field("updated_at", .datetime, .required)
            .field("version", .int, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SignInThrottleStore.table).delete()
    }
}
