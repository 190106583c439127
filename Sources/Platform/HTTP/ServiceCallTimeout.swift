import Foundation
import NIOCore

/// How long a service waits for another's answer before it tells its user the other could not be reached. Each
/// call names its usual patience (a few seconds for a page's call); `SERVICE_CALL_TIMEOUT_SECONDS` replaces them
/// all where every answer is slow for a known reason, as on a test machine running many suites at once.
package enum ServiceCallTimeout {
    /// `usual`, or `SERVICE_CALL_TIMEOUT_SECONDS` when it is set to a positive whole number of seconds.
    package static func seconds(_ usual: Int64) -> Int64 {
        guard let text = ProcessInfo.processInfo.environment["SERVICE_CALL_TIMEOUT_SECONDS"],
            let value = Int64(text), value > 0
        else { return usual }
        return value
    }

    /// ``seconds(_:)`` as NIO's time amount.
    package static func amount(_ usual: Int64) -> TimeAmount { .seconds(seconds(usual)) }
}
