/// A value read from elsewhere (a database, another service), kept for a short while so that what is served in
/// that while does not read it again. For reference data that changes seldom and may be that much behind: an
/// experiment's definition, the markets a filter offers.
package actor KeptValue<Value: Sendable> {
    package let lifetime: Duration
    private var kept: (at: ContinuousClock.Instant, value: Value)?

    package init(lifetime: Duration) { self.lifetime = lifetime }

    /// The kept value while it is younger than ``lifetime``, else what `read` answers now (kept in its turn). A
    /// failed read keeps nothing and throws.
    package func value(read: @Sendable () async throws -> Value) async throws -> Value {
        let clock = ContinuousClock()
        if let kept, clock.now < kept.at + lifetime { return kept.value }
        let value = try await read()
        kept = (clock.now, value)
        return value
    }

    /// Reads again next time: for a change made here, which must show at once.
    package func forget() { kept = nil }
}
