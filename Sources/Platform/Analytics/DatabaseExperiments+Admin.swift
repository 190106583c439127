import Analytics
import Foundation

/// What `selfsched experiments set` asks for, checked: a known experiment, a rollout from 0 to 100 and, when
/// given, a weight for each of its variants.
package struct ExperimentChange: Sendable, Equatable {
    package var experiment: KnownExperiment
    package var rolloutPercent: Int
    /// Weights in the experiment's variant order; nil keeps the current ones.
    package var weights: [Int]?

    /// Reads the operator's words: `experiment` is an id (`review_step`), `weights` like `standard=1,short=1`.
    package static func parse(experiment: String, rollout: Int, weights: String?) throws -> ExperimentChange {
        guard let known = KnownExperiment(rawValue: experiment) else {
            throw ExperimentSettingError(
                "There is no experiment \(experiment). Known: "
                    + KnownExperiment.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        }
        guard (0...100).contains(rollout) else {
            throw ExperimentSettingError("The rollout is a percentage from 0 to 100, not \(rollout).")
        }
        return ExperimentChange(
            experiment: known, rolloutPercent: rollout, weights: try weights.map { try parse(weights: $0, of: known) })
    }

    private static func parse(weights text: String, of experiment: KnownExperiment) throws -> [Int] {
        let names = experiment.variantNames
        let expected = "Weights look like " + names.map { "\($0)=1" }.joined(separator: ",") + "."
        var weights: [String: Int] = [:]
        for pair in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = pair.split(separator: "=", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let weight = Int(parts[1]) else { throw ExperimentSettingError(expected) }
            guard names.contains(parts[0]) else {
                throw ExperimentSettingError(
                    "\(experiment.rawValue) has no variant \(parts[0]); its variants are "
                        + names.joined(separator: ", ") + ".")
            }
            guard weights.updateValue(weight, forKey: parts[0]) == nil else {
                throw ExperimentSettingError("The variant \(parts[0]) is weighted twice.")
            }
        }
        guard weights.count == names.count else {
            throw ExperimentSettingError("Give a weight for each variant: " + names.joined(separator: ", ") + ".")
        }
        guard weights.values.allSatisfy({ (0...1_000).contains($0) }), weights.values.contains(where: { $0 > 0 })
        else { throw ExperimentSettingError("Weights are whole numbers from 0 to 1000, and not all 0.") }
        return names.map { weights[$0] ?? 0 } // every name has a weight (checked above)
    }

    /// The definition after the change, from the current one.
    package func applied(to current: Experiment) -> Experiment {
        var next = current
        next.rolloutPercent = rolloutPercent
        if let weights {
            next.variants = zip(experiment.variantNames, weights).map { Experiment.Variant(name: $0, weight: $1) }
        }
        return next
    }
}

/// A change an operator asked for that cannot be made, in words for them.
package struct ExperimentSettingError: Error, Equatable, CustomStringConvertible {
    package let description: String

    package init(_ description: String) { self.description = description }
}

/// One experiment as `selfsched experiments list` shows it.
package struct ExperimentOverview: Sendable, Equatable {
    package var definition: Experiment
    /// People exposed per variant name (every variant present, 0 when nobody).
    package var exposures: [String: Int]

    /// Lines for people: the rollout, then each variant with its weight and exposures.
    package var lines: [String] {
        let total = definition.variants.reduce(0) { $0 + $1.weight }
        return ["\(definition.id): rollout \(definition.rolloutPercent)%"]
            + definition.variants.enumerated().map { index, variant in
                let share = total > 0 ? " (\(variant.weight * 100 / total)%)" : ""
                let control = index == 0 ? ", the control" : ""
                let people = exposures[variant.name] ?? 0
                return "  \(variant.name): weight \(variant.weight)\(share)\(control); "
                    + "\(people) \(people == 1 ? "person" : "people") exposed"
            }
    }
}

extension DatabaseExperiments {
    /// Every known experiment's definition and exposures, read now.
    package func overview() async throws -> [ExperimentOverview] {
        await cache.forget()
        let counts = try await ExperimentExposureModel.counts(on: database.db.sql)
        var overviews: [ExperimentOverview] = []
        for experiment in KnownExperiment.allCases {
            let definition = try await definition(of: experiment)
            let exposed = counts[experiment.rawValue] ?? [:]
            overviews.append(
                ExperimentOverview(
                    definition: definition,
                    exposures: Dictionary(uniqueKeysWithValues: experiment.variantNames.map { ($0, exposed[$0] ?? 0) })
                ))
        }
        return overviews
    }

    /// Stores the changed definition; services running on this database follow it within their cache lifetime.
    @discardableResult
    package func apply(_ change: ExperimentChange) async throws -> Experiment {
        await cache.forget()
        let next = change.applied(to: try await definition(of: change.experiment))
        if let problem = next.problem { throw ExperimentSettingError(problem) }
        let at = now()
        try await database.write { db in try await ExperimentModel(next).save(at: at, on: db.sql) }
        await cache.forget()
        return next
    }
}
