import Foundation

/// How much longer than configured the background loops (outbox claims, live relays, repeating work) pause
/// between passes: 1, unless `SELFSCHED_BACKGROUND_PACE` names a whole number.
///
/// Only for measuring: under valgrind (benchmarks/instructions.py) the process runs some fifty times slower than
/// the wall clock its timers follow, so polling that costs next to nothing natively would take most of the counted
/// instructions. Stretching the pauses by as much keeps background work in its natural proportion to requests.
package enum BackgroundPace {
    package static let factor: Int = max(
        1, Int(ProcessInfo.processInfo.environment["SELFSCHED_BACKGROUND_PACE"] ?? "") ?? 1)

    /// `interval`, stretched by ``factor``.
    package static func pause(_ interval: Duration) -> Duration { interval * factor }
}
