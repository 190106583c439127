import ArgumentParser
import Foundation
import OSS
import Platform

struct ExperimentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiments",
        abstract: "OSS's experiments: who is in each (a percentage rollout) and which variant they see.",
        subcommands: [List.self, Set.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Each experiment's rollout, its variants with their weights, and people exposed to each.")
        @OptionGroup var options: CommonOptions

        func run() async throws {
            let overviews = try await OSSApp.definition.withExperiments(options.settings) { try await $0.overview() }
            overviews.flatMap(\.lines).forEach(say)
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set an experiment's rollout and, optionally, its variants' weights.",
            discussion:
                "Safe while serve runs: OSS follows within 5 seconds. "
                + "Example: selfsched experiments set review_step --rollout 50 --weights standard=1,short=1")

        @OptionGroup var options: CommonOptions
        @Argument(help: "The experiment: review_step.") var experiment: String
        @Option(help: "The share of people in the experiment, 0–100.") var rollout: Int
        @Option(help: "Each variant's weight, like standard=1,short=1 (default: keep them).") var weights: String?

        func validate() throws { _ = try change() }

        func run() async throws {
            let change = try change()
            let overview = try await OSSApp.definition.withExperiments(options.settings) { book in
                do {
                    try await book.apply(change)
                } catch let error as ExperimentSettingError {
                    throw ValidationError(error.description)
                }
                return try await book.overview().filter { $0.definition.id == change.experiment.rawValue }
            }
            overview.flatMap(\.lines).forEach(say)
        }

        private func change() throws -> ExperimentChange {
            do {
                return try ExperimentChange.parse(experiment: experiment, rollout: rollout, weights: weights)
            } catch let error as ExperimentSettingError {
                throw ValidationError(error.description)
            }
        }
    }
}
