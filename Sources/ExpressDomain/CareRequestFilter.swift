import Foundation
import Vocabulary

/// What a partner user narrows the care request list to; every part must match. Station runs it
/// (searchPartnerCareRequests), so that its keyset pages stay whole. The patient's name is never in a URL: the
/// pages keep it in the session.
package struct CareRequestFilter: Sendable, Equatable {
    package var phase: CareRequestPhase
    /// Empty: every status of the phase.
    package var statuses: [CareRequestStatus]
    /// The requests this user made (Station's `created_by_user_id`, the fact of `care_request_users`).
    package var createdBy: UserID?
    package var market: MarketID?
    /// Creation days, both included, in `zone` (the one the list shows times in).
    package var createdFrom: LocalDate?
    package var createdTo: LocalDate?
    package var zone: TimeZone
    package var patientName: String?

    package init(
        phase: CareRequestPhase, statuses: [CareRequestStatus] = [], createdBy: UserID? = nil,
        market: MarketID? = nil, createdFrom: LocalDate? = nil, createdTo: LocalDate? = nil,
        zone: TimeZone = TimeZone(identifier: "America/Denver") ?? .gmt, patientName: String? = nil
    ) {
        self.phase = phase
        self.statuses = statuses
        self.createdBy = createdBy
        self.market = market
        self.createdFrom = createdFrom
        self.createdTo = createdTo
        self.zone = zone
        self.patientName = patientName
    }

    /// Nothing but the tab: the list as it always was, whose first page of current requests takes new ones live.
    package var isPlain: Bool {
        statuses.isEmpty && createdBy == nil && market == nil && createdFrom == nil && createdTo == nil
            && patientName == nil
    }

    /// The creation range as instants: from the first day's midnight in `zone`, before the midnight after the last.
    package var createdRange: (from: Date?, before: Date?) {
        (createdFrom?.interval(in: zone)?.start, createdTo?.interval(in: zone)?.end)
    }
}

extension CareRequestFilter {
    /// The longest patient name searched for, as Station accepts it.
    package static let maxNameLength = 100

    /// A part of the filter that cannot be used as sent, and what to do about it.
    package enum Field: String, Sendable, CaseIterable {
        case status, market, from, to, name
    }

    /// Every part of the filter that was refused, each with a sentence the user can act on.
    package struct Invalid: Error, Equatable, Sendable {
        package var messages: [Field: String]
    }

    /// What the list's form and links hold, as sent: words, not yet a filter.
    package struct Input: Sendable, Equatable {
        package var phase: CareRequestPhase
        package var statuses: [String]
        package var mine: Bool
        package var market: String?
        package var from: String?
        package var to: String?
        package var patientName: String?

        package init(
            phase: CareRequestPhase, statuses: [String] = [], mine: Bool = false, market: String? = nil,
            from: String? = nil, to: String? = nil, patientName: String? = nil
        ) {
            self.phase = phase
            self.statuses = statuses
            self.mine = mine
            self.market = market
            self.from = from
            self.to = to
            self.patientName = patientName
        }
    }

    /// The filter `input` asks for, `me` being the user for "Created by me" and `zone` the one of its days; blank
    /// parts filter nothing.
    package init(_ input: Input, me: UserID, zone: TimeZone) throws(Invalid) {
        var messages: [Field: String] = [:]
        var statuses: [CareRequestStatus] = []
        for raw in input.statuses.map(Self.trimmed).compactMap({ $0 }) {
            guard let status = CareRequestStatus(rawValue: raw) else {
                messages[.status] = "“\(raw.prefix(40))” is not a status. Choose one from the list."
                continue
            }
            guard status.phase == input.phase else {
                let tab = status.phase == .past ? "Past" : "Current"
                messages[.status] = "“\(Wording.status(status.rawValue))” requests are under \(tab)."
                continue
            }
            if !statuses.contains(status) { statuses.append(status) }
        }
        var market: MarketID?
        if let raw = Self.trimmed(input.market) {
            market = MarketID(wire: raw.lowercased())
            if market == nil { messages[.market] = "That market is not one of ours. Choose one from the list." }
        }
        let from = Self.date(input.from, .from, &messages)
        let to = Self.date(input.to, .to, &messages)
        if let from, let to, to < from {
            messages[.to] = "The “to” date \(to.iso) is before the “from” date \(from.iso)."
        }
        let name = Self.trimmed(input.patientName)
        if let name, name.count > Self.maxNameLength {
            messages[.name] = "Search with at most \(Self.maxNameLength) characters."
        }
        guard messages.isEmpty else { throw Invalid(messages: messages) }
        self.init(
            phase: input.phase, statuses: statuses, createdBy: input.mine ? me : nil, market: market,
            createdFrom: from, createdTo: to, zone: zone, patientName: name)
    }

    private static func trimmed(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }

    private static func date(_ text: String?, _ field: Field, _ messages: inout [Field: String]) -> LocalDate? {
        guard let raw = trimmed(text) else { return nil }
        guard let date = LocalDate(iso: raw) else {
            messages[field] = "“\(raw.prefix(40))” is not a date. Use the form YYYY-MM-DD, for example 2026-11-30."
            return nil
        }
        return date
    }
}
