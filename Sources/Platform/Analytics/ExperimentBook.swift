import Analytics
import Vocabulary

/// Which variant of an experiment a person sees. The first time a person in the rollout sees a variant, the
/// exposure is recorded (once per person and experiment, across instances) and an "Experiment Viewed" event is
/// tracked; people outside the rollout see the control and are not exposed.
package protocol ExperimentBook: Sendable {
    /// The variant name `subject` (a user or account id) sees: one of `experiment.variantNames`.
    func variant(
        of experiment: KnownExperiment, for subject: String, actor: AnalyticsActor, partner: PartnerID?,
        tracker: Tracker
    ) async -> String
}

/// Everybody sees the control; nothing is recorded. SEAM (lead): the experiments owner adds the database-backed
/// book (definitions set by `selfsched experiments set`, exposures recorded) and OSS switches to it.
package struct ControlOnlyExperiments: ExperimentBook {
    package init() {}

    package func variant(
        of experiment: KnownExperiment, for subject: String, actor: AnalyticsActor, partner: PartnerID?,
        tracker: Tracker
    ) async -> String {
        experiment.variantNames[0]
    }
}
