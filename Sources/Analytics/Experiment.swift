import Crypto
import Foundation

/// A flag with a percentage rollout and variants: who is in it and which variant each person sees is decided by a
/// hash of the experiment and the person's id, so the same person always gets the same answer, in every instance,
/// with nothing stored.
package struct Experiment: Codable, Sendable, Equatable {
    package struct Variant: Codable, Sendable, Equatable {
        package var name: String
        /// Relative weight among the variants (for example 50 and 50).
        package var weight: Int

        package init(name: String, weight: Int) {
            self.name = name
            self.weight = weight
        }
    }

    package var id: String
    /// The share of people in the experiment, 0–100; the others see the control (the first variant) and are not
    /// counted as exposed.
    package var rolloutPercent: Int
    package var variants: [Variant]

    package init(id: String, rolloutPercent: Int, variants: [Variant]) {
        self.id = id
        self.rolloutPercent = rolloutPercent
        self.variants = variants
    }

    /// What is wrong with this definition, in words for the operator; nil when it can be used.
    package var problem: String? {
        if !(0...100).contains(rolloutPercent) { return "The rollout is a percentage from 0 to 100." }
        if variants.count < 2 { return "An experiment has at least two variants; the first is the control." }
        if variants.contains(where: { $0.weight < 0 }) || variants.allSatisfy({ $0.weight == 0 }) {
            return "Variant weights are whole numbers of at least 0, and not all 0."
        }
        if Set(variants.map(\.name)).count != variants.count { return "Variant names must differ." }
        return nil
    }

    /// The variant `subject` (a user or account id) sees, or nil when the subject is outside the rollout (they
    /// see the control and are not in the experiment).
    package func variant(for subject: String) -> Variant? {
        guard problem == nil, Self.bucket("\(id):rollout:\(subject)", of: 100) < rolloutPercent else { return nil }
        let total = variants.reduce(0) { $0 + $1.weight }
        var point = Self.bucket("\(id):variant:\(subject)", of: total)
        for variant in variants {
            if point < variant.weight { return variant }
            point -= variant.weight
        }
        return variants.last
    }

    /// A number in `0..<size` from the first eight bytes of SHA-256 of `text`: uniform and the same everywhere.
    static func bucket(_ text: String, of size: Int) -> Int {
        let digest = SHA256.hash(data: Data(text.utf8))
        let value = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Int(value % UInt64(size))
    }
}

/// The experiments the product runs. A definition (rollout and weights) is set by the operator; the code knows
/// what each variant changes.
package enum KnownExperiment: String, Sendable, CaseIterable {
    /// OSS's review step: `standard` (every answer, each with a change link) or `short` (who, where and when on one
    /// card, one submit button).
    case reviewStep = "review_step"

    /// The variants the code understands, the control first.
    package var variantNames: [String] {
        switch self {
        case .reviewStep: ["standard", "short"]
        }
    }

    /// The definition until an operator sets one: nobody in it.
    package var defaultDefinition: Experiment {
        Experiment(id: rawValue, rolloutPercent: 0, variants: variantNames.map { .init(name: $0, weight: 1) })
    }
}
