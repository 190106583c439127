import Foundation
import NIOCore

/// How long a service waits for another's answer before it tells its user the other could not be reached. Each
/// call names its usual patience (a few seconds for a page's call); `SERVICE_CALL_TIMEOUT_SECONDS` raises them all
/// where every answer is slow for a known reason, as on a test machine running many suites at once.
package enum ServiceCallTimeout {
    /// The most the setting may raise a call's patience to: below the outbox's 60 s claim, so that a delivery
    /// still under way is never claimed and sent by another worker.
    package static let ceiling: Int64 = 50

    /// `usual`, or `SERVICE_CALL_TIMEOUT_SECONDS` (at most ``ceiling``) when that is longer.
    package static func seconds(_ usual: Int64) -> Int64 {
        guard let text = ProcessInfo.processInfo.environment["SERVICE_CALL_TIMEOUT_SECONDS"],
            let value = Int64(text), value > 0
        else { return usual }
        return max(usual, min(value, ceiling))
    }

    /// ``seconds(_:)`` as NIO's time amount.
    package static func amount(_ usual: Int64) -> TimeAmount { .seconds(seconds(usual)) }
}
