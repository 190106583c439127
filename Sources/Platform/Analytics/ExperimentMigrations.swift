import Fluent
import SQLKit

/// The experiments store's tables (``DatabaseExperiments``), for every service that runs experiments to add to its
/// own migrations.
package enum ExperimentMigrations {
    package static let all: [any Migration] = [CreateExperiments(), CreateExperimentExposures()]
}

/// `experiments`: the operator's definition of each experiment (`selfsched experiments set`); an experiment
/// without a row uses ``KnownExperiment/defaultDefinition`` (nobody in it). `variants` is JSON:
/// `[{"name":"standard","weight":1},…]`, the control first.
struct CreateExperiments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ExperimentTable.experiments)
            .field("id", .string, .identifier(auto: false))
            .field("rollout_percent", .int, .required)
            .field("variants", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ExperimentTable.experiments).delete()
    }
}

/// `experiment_exposures`: who first saw which variant, once per experiment and subject (a user or account id).
struct CreateExperimentExposures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ExperimentTable.exposures)
            .field("experiment_id", .string, .required)
            .field("subject", .string, .required)
            .field("variant", .string, .required)
            .field("first_seen_at", .datetime, .required)
            .unique(on: "experiment_id", "subject")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ExperimentTable.exposures).delete()
    }
}

/// The experiments store's table names.
enum ExperimentTable {
    static let experiments = "experiments"
    static let exposures = "experiment_exposures"
}
