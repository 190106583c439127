/// Serializes write transactions on SQLite, whose single writer would otherwise refuse a transaction that
/// read before it wrote while another connection was writing. On PostgreSQL the gate is open: row locks
/// and conditional updates do that work.
///
/// It counts how long transactions held it and waited for it (``use``, on `/metrics`): a gate held nearly all the
/// time is what limits a service's writes on SQLite.
package actor WriteGate {
    /// How much the gate was used since it was made: the transactions that passed it, the time they held it and
    /// the time they waited for it, in seconds.
    package struct Use: Sendable, Equatable {
        package var transactions = 0
        package var held = 0.0
        package var waited = 0.0
    }

    private let serializes: Bool
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var counted = Use()

    package init(serializes: Bool) { self.serializes = serializes }

    /// Its use so far; nil when it does not serialize (PostgreSQL), so nothing waits on it.
    package var use: Use? { serializes ? counted : nil }

    /// Transactions waiting for it now.
    var waiting: Int { waiters.count }

    package func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        guard serializes else { return try await body() }
        let asked = ContinuousClock.now
        await acquire()
        let waited = asked.secondsSince
        let got = ContinuousClock.now
        defer {
            counted.transactions += 1
            counted.waited += waited
            counted.held += got.secondsSince
            release()
        }
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
