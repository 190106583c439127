import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import Platform

/// The open streams of an instance share one re-check of their viewers instead of querying each on its own.
@Suite("Live access checker")
struct LiveAccessCheckerTests {
    /// A loader that records each batch it is asked for and allows the viewers in `allowed`.
    final class Loader: Sendable {
        let allowed = NIOLockedValueBox<Set<String>>([])
        let batches = NIOLockedValueBox<[[String]]>([])

        func load(_ viewers: [String]) -> Set<String> {
            batches.withLockedValue { $0.append(viewers.sorted()) }
            return allowed.withLockedValue { $0 }.intersection(viewers)
        }
    }

    @Test("a new viewer is checked at once; within the interval many asks cost no query")
    func sharedWithinInterval() async {
        let loader = Loader()
        loader.allowed.withLockedValue { $0 = ["a", "b"] }
        let checker = LiveAccessChecker<String>(every: .seconds(3600)) { loader.load($0) }
        #expect(await checker.allowed("a"))
        #expect(await checker.allowed("b"))
        #expect(!(await checker.allowed("c")))
        for _ in 0..<20 {
            #expect(await checker.allowed("a"))
            #expect(await checker.allowed("b"))
        }
        #expect(loader.batches.withLockedValue { $0 } == [["a"], ["b"], ["c"]])
    }

    @Test("once the interval passed, one batch re-checks every viewer and a revoked one is refused")
    func batchRecheckRevokes() async {
        let loader = Loader()
        loader.allowed.withLockedValue { $0 = ["a", "b"] }
        // Nobody is forgotten between asks, however slowly a loaded machine runs this test.
        let checker = LiveAccessChecker<String>(every: .zero, forgetAfter: .seconds(3600)) { loader.load($0) }
        #expect(await checker.allowed("a"))
        #expect(await checker.allowed("b"))
        loader.allowed.withLockedValue { $0 = ["b"] }
        #expect(!(await checker.allowed("a")))
        #expect(await checker.allowed("b"))
        let batches = loader.batches.withLockedValue { $0 }
        #expect(batches.prefix(2) == [["a"], ["b"]])
        #expect(batches.dropFirst(2).allSatisfy { $0 == ["a", "b"] })
    }

    @Test("a failing check refuses (the stream closes rather than outliving a sign-out)")
    func failureRefuses() async {
        struct Down: Error {}
        let checker = LiveAccessChecker<String>(every: .seconds(3600)) { _ in throw Down() }
        #expect(!(await checker.allowed("a")))
    }
}
