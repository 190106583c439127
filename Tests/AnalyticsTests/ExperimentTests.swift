import Analytics
import Testing

@Suite("Experiments")
struct ExperimentTests {
    let experiment = Experiment(
        id: "review_step", rolloutPercent: 50,
        variants: [.init(name: "standard", weight: 1), .init(name: "short", weight: 1)])

    @Test("a person always gets the same variant, and about the rollout's share of people are in it")
    func deterministicAndProportional() {
        let subjects = (0..<2_000).map { "user-\($0)" }
        let first = subjects.map { experiment.variant(for: $0)?.name }
        #expect(first == subjects.map { experiment.variant(for: $0)?.name })
        let inside = first.compactMap { $0 }
        #expect((900...1_100).contains(inside.count))
        #expect((inside.count * 4 / 10...inside.count * 6 / 10).contains(inside.filter { $0 == "short" }.count))
    }

    @Test("a rollout of 0 has nobody in it, of 100 everybody; a bad definition nobody")
    func edges() {
        var none = experiment
        none.rolloutPercent = 0
        var all = experiment
        all.rolloutPercent = 100
        var broken = all
        broken.variants = [.init(name: "standard", weight: 1)]
        #expect((0..<200).allSatisfy { none.variant(for: "u\($0)") == nil })
        #expect((0..<200).allSatisfy { all.variant(for: "u\($0)") != nil })
        #expect(broken.problem != nil)
        #expect(broken.variant(for: "u1") == nil)
    }
}
