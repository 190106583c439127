import Fluent
import Platform

/// OSS's migrations, in the order they run.
enum OSSMigrations {
    static let all: [any Migration] = own + OutboxMigrations.all + [MoveCallbackOutbox()] + ExperimentMigrations.all

    /// OSS's own tables.
    static let own: [any Migration] = [
        M001_CreateHandoffs(), M002_CreateDrafts(), M003_CreateOutbox(), M004_CreatePatientLinks(),
        M005_CreateAuditEvents(), M006_AddSynthetic(), M007_CreateStationEventReceipts(), M008_CreateEmailOptOuts(),
        CreateWebSessions(), M009_AddHandoffIntent(), M010_CreateManagedPeople(),
    ]
}
