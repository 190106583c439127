import Fluent

/// The triage pages' tables (`triage_claims`), run after Console's own migrations.
enum TriageMigrations {
    static let all: [any Migration] = [CreateTriageClaims()]
}
