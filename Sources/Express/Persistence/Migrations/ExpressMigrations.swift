import Fluent
import Platform

/// Express's migrations, in the order they run.
enum ExpressMigrations {
    static let all: [any Migration] = own + OutboxMigrations.all

    /// Express's own tables.
    static let own: [any Migration] = [
        M001_CreatePartners(),
        M002_CreateUsers(),
        M003_CreatePreferences(),
        M004_CreateCareRequestUsers(),
        M005_CreateAuditEvents(),
        M006_CreateFeatureFlags(),
        M007_CreateWebhookReceipts(),
        M008_AddSyntheticUsers(),
        CreateWebSessions(),
        CreateLiveEvents(),
        M009_NotificationChoices(),
        M010_CreateNotificationEvents(),
        M011_CreateNotificationDigests(),
        CreateWebhookEndpoints(),
        AddLiveEventCreated(),
        M012_AddUserAccountIDs(),
    ]
}
