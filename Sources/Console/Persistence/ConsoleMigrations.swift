import Fluent
import Platform

/// Console's migrations, in the order they run: the core's, then each feature's (Triage's `triage_claims`).
enum ConsoleMigrations {
    static let all: [any Migration] = core + TriageMigrations.all

    static let core: [any Migration] = [
        CreateWebSessions(),
        CreateAuditEvents(),
        CreateLiveEvents(),
        AddLiveEventCreated(),
    ]
}
