import NIOConcurrencyHelpers
import Testing

@testable import Platform

@Suite("Kept values")
struct KeptValueTests {
    struct Refused: Error {}

    /// Counts its reads; throws while `failing`.
    final class Source: Sendable {
        let reads = NIOLockedValueBox(0)
        let failing = NIOLockedValueBox(false)

        func read() throws -> Int {
            if failing.withLockedValue({ $0 }) { throw Refused() }
            return reads.withLockedValue {
                $0 += 1
                return $0
            }
        }
    }

    @Test("a value is read once while it is young and again once it was forgotten")
    func keeps() async throws {
        let source = Source()
        let kept = KeptValue<Int>(lifetime: .seconds(3600))
        #expect(try await kept.value { try source.read() } == 1)
        #expect(try await kept.value { try source.read() } == 1)
        await kept.forget()
        #expect(try await kept.value { try source.read() } == 2)
        #expect(source.reads.withLockedValue { $0 } == 2)
    }

    @Test("an aged value is read again")
    func ages() async throws {
        let source = Source()
        let kept = KeptValue<Int>(lifetime: .zero)
        #expect(try await kept.value { try source.read() } == 1)
        #expect(try await kept.value { try source.read() } == 2)
    }

    @Test("a failed read throws and keeps nothing: the next one reads again")
    func failureNotKept() async throws {
        let source = Source()
        let kept = KeptValue<Int>(lifetime: .seconds(3600))
        source.failing.withLockedValue { $0 = true }
        await #expect(throws: Refused.self) { try await kept.value { try source.read() } }
        source.failing.withLockedValue { $0 = false }
        #expect(try await kept.value { try source.read() } == 1)
        #expect(try await kept.value { try source.read() } == 1)
    }
}
