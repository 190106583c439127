/// Serializes write transactions on SQLite, whose single writer would otherwise refuse a transaction that
/// read before it wrote while another connection was writing. On PostgreSQL the gate is open: row locks
/// and conditional updates do that work.
package actor WriteGate {
    private let serializes: Bool
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    package init(serializes: Bool) { self.serializes = serializes }

    package func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        guard serializes else { return try await body() }
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
