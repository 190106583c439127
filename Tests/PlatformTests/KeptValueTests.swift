import NIOConcurrencyHelpers
import Testing

@testable import Platform

@Suite("Kept values")
struct KeptValueTests {
    struct Refused: Error {}

    @Test("a value is read once while it is young, again once it aged or was forgotten, and a failure is not kept")
    func keeps() async throws {
        let reads = NIOLockedValueBox(0)
        let fails = NIOLockedValueBox(false)
        let read: @Sendable () async throws -> Int = {
            if fails.withLockedValue({ $0 }) { throw Refused() }
            return reads.withLockedValue {
                $0 += 1
                return $0
            }
        }
        let kept = KeptValue<Int>(lifetime: .milliseconds(300))
        #expect(try await kept.value(read: read) == 1)
        #expect(try await kept.value(read: read) == 1)
        await kept.forget()
        #expect(try await kept.value(read: read) == 2)
        try await Task.sleep(for: .milliseconds(400))
        fails.withLockedValue { $0 = true }
        await #expect(throws: Refused.self) { try await kept.value(read: read) }
        fails.withLockedValue { $0 = false }
        #expect(try await kept.value(read: read) == 3)
        #expect(reads.withLockedValue { $0 } == 3)
    }
}
