import Analytics
import Foundation
import SQLKit

/// One row of `experiments`, as the store reads and writes it.
struct ExperimentModel {
    var id: String
    var rolloutPercent: Int
    var variants: [Experiment.Variant]

    init(_ experiment: Experiment) {
        id = experiment.id
        rolloutPercent = experiment.rolloutPercent
        variants = experiment.variants
    }

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: String.self)
        rolloutPercent = try row.decode(column: "rollout_percent", as: Int.self)
        let json = try row.decode(column: "variants", as: String.self)
        variants = try JSONDecoder().decode([Experiment.Variant].self, from: Data(json.utf8))
    }

    var experiment: Experiment { Experiment(id: id, rolloutPercent: rolloutPercent, variants: variants) }

    /// `variants` as the column holds it.
    var variantsJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(variants)) ?? Data("[]".utf8), as: UTF8.self)
    }

    /// The definitions stored for every experiment, by id.
    static func all(on db: any SQLDatabase) async throws -> [String: Experiment] {
        let rows = try await db.select().columns("id", "rollout_percent", "variants")
            .from(ExperimentTable.experiments).all()
        var definitions: [String: Experiment] = [:]
        for row in rows {
            let model = try ExperimentModel(row: row)
            definitions[model.id] = model.experiment
        }
        return definitions
    }

    /// Inserts or replaces this definition.
    func save(at now: Date, on db: any SQLDatabase) async throws {
        try await db.insert(into: ExperimentTable.experiments)
            .columns("id", "rollout_percent", "variants", "updated_at")
            .values(SQLBind(id), SQLBind(rolloutPercent), SQLBind(variantsJSON), SQLBind(now))
            .onConflict(with: ["id"]) { update in
                try update.set(excludedValueOf: "rollout_percent").set(excludedValueOf: "variants")
                    .set(excludedValueOf: "updated_at")
            }
            .run()
    }
}

/// `experiment_exposures`: the first time a subject saw a variant.
enum ExperimentExposureModel {
    /// Whether `subject` has been exposed to `experiment` already.
    /// The variant `subject` was first shown, if they have been exposed.
    static func variant(_ experiment: String, subject: String, on db: any SQLDatabase) async throws -> String? {
        try await db.select().column("variant").from(ExperimentTable.exposures)
            .where("experiment_id", .equal, experiment).where("subject", .equal, subject)
            .limit(1).first(decodingColumn: "variant", as: String.self)
    }

    /// Records the exposure unless one exists; true when this call recorded it (a lost race answers false).
    static func insert(_ experiment: String, subject: String, variant: String, at now: Date, on db: any SQLDatabase)
        async throws -> Bool
    {
        try await !db.insert(into: ExperimentTable.exposures)
            .columns("experiment_id", "subject", "variant", "first_seen_at")
            .values(SQLBind(experiment), SQLBind(subject), SQLBind(variant), SQLBind(now))
            .ignoringConflicts(with: ["experiment_id", "subject"])
            .returning("subject")
            .all().isEmpty
    }

    /// People exposed per experiment and variant.
    static func counts(on db: any SQLDatabase) async throws -> [String: [String: Int]] {
        let rows = try await db.select().column("experiment_id").column("variant")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "people")
            .from(ExperimentTable.exposures).groupBy("experiment_id").groupBy("variant").all()
        var counts: [String: [String: Int]] = [:]
        for row in rows {
            let experiment = try row.decode(column: "experiment_id", as: String.self)
            let variant = try row.decode(column: "variant", as: String.self)
            counts[experiment, default: [:]][variant] = try row.decode(column: "people", as: Int.self)
        }
        return counts
    }
}
