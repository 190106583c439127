import Foundation
import Platform

/// OSS's product analytics, given to ``OSSApp/configure``: one tracker (over the app's pipeline in production, a
/// recorder in tests) and the experiments book, made over OSS's own database once it is open.
package struct OSSAnalytics: Sendable {
    package var tracker: Tracker
    package var experiments: @Sendable (ServiceDatabase) -> any ExperimentBook

    package init(
        tracker: Tracker, experiments: @escaping @Sendable (ServiceDatabase) -> any ExperimentBook
    ) {
        self.tracker = tracker
        self.experiments = experiments
    }

    /// Production: the app's pipeline, and the experiments an operator sets (`selfsched experiments set`).
    package static func live(_ pipeline: AnalyticsPipeline) -> OSSAnalytics {
        OSSAnalytics(tracker: Tracker(app: .oss, sink: pipeline)) { DatabaseExperiments(database: $0) }
    }

    /// Kept in memory and read by nobody, everybody in the control: for in-process tests that do not look at
    /// analytics.
    package static var unobserved: OSSAnalytics {
        OSSAnalytics(tracker: Tracker(app: .oss, sink: RecordingAnalyticsSink())) { _ in ControlOnlyExperiments() }
    }
}
