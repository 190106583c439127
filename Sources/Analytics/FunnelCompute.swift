import Foundation

extension FunnelReport {
    /// The funnel of the `track` messages sent in `since..<until` (either open), for one segment when `partner`
    /// (a partner id, or `direct`) is given. The stages follow the attempts started in the period (a cohort: an
    /// attempt started earlier, or a change's handoff, is in none). Each counts the distinct attempts of the
    /// cohort that sent its event, so an
    /// attempt a nurse must call, which skips the window step, is missing from that stage only. Segments are
    /// ordered by attempts started, most first, patients scheduling directly last.
    package static func compute(
        _ messages: some Sequence<AnalyticsMessage>, since: Date?, until: Date?, partner: String?
    ) -> FunnelReport {
        let wanted = partner?.lowercased()
        var segments: [String: SegmentTally] = [:]
        var experiments = ExperimentTally()
        for message in messages where message.type == .track {
            guard let name = message.event.flatMap(AnalyticsEventName.init(rawValue:)),
                since.map({ message.timestamp >= $0 }) ?? true, until.map({ message.timestamp < $0 }) ?? true,
                let segment = segmentKey(of: message), wanted == nil || wanted == segment
            else { continue }
            segments[segment, default: SegmentTally(key: segment)].add(name, message)
            experiments.add(name, message)
        }
        let ordered = segments.values.sorted { left, right in
            let leftDirect = left.key == direct
            let rightDirect = right.key == direct
            if leftDirect != rightDirect { return rightDirect }
            if left.started != right.started { return left.started > right.started }
            return left.key < right.key
        }
        return FunnelReport(
            since: since, until: until, partner: wanted, segments: ordered.map(\.segment),
            experiments: experiments.figures)
    }
}
