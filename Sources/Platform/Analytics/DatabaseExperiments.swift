import Analytics
import Foundation
import Logging
import SQLKit
import Vocabulary

/// The experiments book kept in a service's database: definitions from `experiments` (set by `selfsched
/// experiments set`, re-read at most ``cacheLifetime`` later, so a running service follows a change within
/// seconds), exposures in `experiment_exposures` (once per experiment and subject, across instances). The first
/// time a subject in the rollout sees a variant, "Experiment Viewed" is tracked. A failing database answers the
/// control, never an error.
package struct DatabaseExperiments: ExperimentBook {
    let database: ServiceDatabase
    let now: @Sendable () -> Date
    /// Definitions read from the database, kept for a short while.
    let cache: KeptValue<[String: Experiment]>
    let logger = Logger(label: "experiments")

    /// - Parameter cacheLifetime: how long definitions read from the database are used before reading them again.
    package init(
        database: ServiceDatabase, cacheLifetime: Duration = .seconds(5),
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.database = database
        self.now = now
        cache = KeptValue(lifetime: cacheLifetime)
    }

    package func variant(
        of experiment: KnownExperiment, for subject: String, actor: AnalyticsActor, partner: PartnerID?,
        tracker: Tracker
    ) async -> String {
        let control = experiment.variantNames[0]
        do {
            guard let variant = try await definition(of: experiment).variant(for: subject) else { return control }
            let id = experiment.rawValue
            // A person keeps the variant they first saw while they stay in the rollout, even if the weights change.
            if let seen = try await ExperimentExposureModel.variant(id, subject: subject, on: database.db.sql) {
                return experiment.variantNames.contains(seen) ? seen : variant.name
            }
            let at = now()
            let recorded = try await database.write { db in
                try await ExperimentExposureModel.insert(
                    id, subject: subject, variant: variant.name, at: at, on: db.sql)
            }
            if recorded {
                let event = TrackedEvent(
                    .experimentViewed, [.experimentID: .string(id), .variationID: .string(variant.name)])
                await tracker.track(event, by: actor, partner: partner)
            }
            return variant.name
        } catch {
            logger.error(
                "Experiment \(experiment.rawValue) answered its control: the database failed: \(String(reflecting: error))"
            )
            return control
        }
    }

    /// The operator's definition of `experiment`, else its default; a stored definition the code cannot use (an
    /// unknown variant, a bad weight) counts as none.
    func definition(of experiment: KnownExperiment) async throws -> Experiment {
        let stored = try await cache.value { try await ExperimentModel.all(on: database.db.sql) }
        guard let definition = stored[experiment.rawValue] else { return experiment.defaultDefinition }
        guard definition.problem == nil, definition.variants.map(\.name) == experiment.variantNames else {
            logger.warning("Experiment \(experiment.rawValue)'s stored definition is not usable; nobody is in it.")
            return experiment.defaultDefinition
        }
        return definition
    }
}
